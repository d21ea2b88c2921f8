
BY_gradJ fe¾H¡b¿P-Ü½Jo=¿@“E?ÎZ?èa½>úpY?