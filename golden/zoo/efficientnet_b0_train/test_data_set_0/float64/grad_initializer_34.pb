B"features.2.0.block.3.1.weight_gradJ@Äñ[V×æ?Ê¡á¸õô¿ğş<’
@(JJv(–?‚mÎ„œhß¿i')İÓ¿ŒhuÏ¿ƒFqòÁş¿