
BY1_gradJ+N?n¿tNÉ>8·Ò¾