
BB_gradJp€½>07ì¾xÿ†>ÊTb¿