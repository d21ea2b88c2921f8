B,trunk_output.block2.block2-0.f.a.1.bias_gradJ@ŠHÍ>é3j>=Ñ5¾±á<š®›>Æ'¾°ÓÅ=¾¬c½èP•½4m¿Ó€ ¾0eº=
Ÿ>–W¾x—÷>4‚¼