
BB_gradJ¥(¶ø∂ûy¿Sf€@∫.Iø