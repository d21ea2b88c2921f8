
BBJ{DÀýul¿c¾fR¿