
BX_gradJ0E.w¿ŸˆQ¿T@?iÖÂ?À©?NÆ¡¾ÃvkÀ[SSÀ·@§À»%ÀhÀ’hÌ?