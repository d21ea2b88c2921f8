
BY_gradJ JiR¿$[v¿@¿B¡&?˜ì<¿®H	¿¸³[¿Lj?