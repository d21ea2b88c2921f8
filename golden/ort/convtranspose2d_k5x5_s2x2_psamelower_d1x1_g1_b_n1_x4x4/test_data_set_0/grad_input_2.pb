
BB_gradJí¸¾é„¿*úŠÀPoc@