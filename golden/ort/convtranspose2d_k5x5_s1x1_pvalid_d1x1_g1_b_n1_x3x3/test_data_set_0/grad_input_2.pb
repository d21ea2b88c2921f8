
BB_gradJР+йПTокР$єП@NE`?