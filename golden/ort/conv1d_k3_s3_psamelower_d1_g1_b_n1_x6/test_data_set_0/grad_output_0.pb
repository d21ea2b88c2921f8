
BY_gradJ ’h0¿²an¿
ûT¿\	?n}i?H3~¾€µ=¿¸T|¿