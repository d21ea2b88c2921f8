B.trunk_output.block2.block2-3.f.a.1.weight_gradJ€c	[’É·£¿pÑÛùé¿+Ö%%1¯?Ò{K;Ü¡¿íIZ*\o²?"¦ÌW9¤Â?`àtk©?’¼¨™gÒ¿c±,ÉñÒ?
–øßXNÇ?b`†ñõÄ?h£ÞÇŠß¿9Ci '›²?Aå>œ¾?óºk.ñ?‡?È„‰€m÷É¿