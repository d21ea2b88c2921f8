B"inception4e.branch3.1.bn.bias_gradJ@k;3Ã@È?<O2Ã|Ó?æã)>t÷á?
îP‘â¿sE°/GôÎ?¡¾ä¿:0){zåº?ð:F4®*‹?