
BB_gradJdı¢@põ¿Ö=∏¿ÏZ¨?