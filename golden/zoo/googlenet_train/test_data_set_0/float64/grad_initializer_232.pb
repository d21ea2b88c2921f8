
B"inception5a.branch2.0.bn.bias_gradJPwß†0Ëš?Üo¬{vÈÃ?¹6o„»%®¿©ïJp©™¿WÅëÍµeš?Ñ‰xC©¿—|G‚Å­¿Œg¤ÑÂ?×S@‡³°¿&ü)m”?