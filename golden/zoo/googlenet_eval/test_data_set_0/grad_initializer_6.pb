Bconv2.bn.weight_gradJw@«–EÁò
ÂÎ&Á