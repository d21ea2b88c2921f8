
BB_gradJk:AOŒ¢@>M<@QÝÁ