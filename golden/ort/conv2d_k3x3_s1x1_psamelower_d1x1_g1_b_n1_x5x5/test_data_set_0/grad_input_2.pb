
BB_gradJá¥@L%J¿c–¿ÀŠœ¾