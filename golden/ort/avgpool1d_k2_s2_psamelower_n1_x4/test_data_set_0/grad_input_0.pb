
BX_gradJ 0oü¾0oü¾tÍì¾tÍì¾@·w=@·w=ÌN1¾ÌN1¾