B features.5.0.block.3.1.bias_gradJ@H ®j6¿7E®™ˆÇ¿r'Í—ù?(<[cü‡?U €Q4Q?
“¯Ù+¿$ğ,ì
{¿
İv˜?