
BB_gradJv
&@~]@ ½]ÀhG\?