
BY_gradJ pÉe¿üú|¿V‘|¿lB&¿ ’ó¾xºb?F1?r$8?