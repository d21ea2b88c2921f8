
BY_gradJ&`?è	Q?àÉi=ª”B?