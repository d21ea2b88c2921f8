B
scale_gradJö?šX¤¿)8@