
BY_gradJ®N?L¡J?ˆ[M¿B<Q?