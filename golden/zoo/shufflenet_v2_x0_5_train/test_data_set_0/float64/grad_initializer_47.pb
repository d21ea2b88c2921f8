Bstage2.2.branch2.1.bias_gradJ@
…h%§h#ÀúÏ…Œ¥ì@ˆ;ø9î¿Ş]”0×`%@}•Øü\aÀdÜYÒ3ÀØ®ÉÅmê?®h‘Ac@