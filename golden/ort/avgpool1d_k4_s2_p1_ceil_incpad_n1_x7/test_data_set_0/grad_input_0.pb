
BX_gradJ8´1J>BËº>BËº>ˆÞk½ˆÞk½GG¾GG¾°A½’nl¾’nl¾`At<`At<ê'ñ>ê'ñ>