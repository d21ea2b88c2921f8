
BB_gradJxp? `l=`×>Û“þ?