
BB_gradJÐÍ=ýû»¿ìf=À