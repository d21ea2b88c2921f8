B features.9.block.3.1.weight_gradJÄó‚HŸ@
5ø_∂ÙvRi?<§^ïlXøﬂn+û]ÎYø•π‰èªb?%)0WVåFøkgKÉ$?Æ;%∑˘k¯æÉÁ^FQ?Gwa·Qï,?sSJZÎbTøﬁ¸ãˆpGøOÛ'ÀÖÒb?sÏÒsèÑDø"BPπ∫wc?Ω"îssZø