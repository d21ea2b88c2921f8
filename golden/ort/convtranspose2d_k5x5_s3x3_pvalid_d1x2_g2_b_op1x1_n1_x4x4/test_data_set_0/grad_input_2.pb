
BB_gradJs‹Å@ÿÚÀÁ\-u¿lÝaÀ÷q@>8À