Bconv1.1.weight_gradJ@ M'Y&è«>ô­oOÂ­¾MÉè¤’3‘>áŽgY
Ô¾¸¤5Ì·N”>º¼’1rúÀ> -Oc?Ã>»ryKe¼>