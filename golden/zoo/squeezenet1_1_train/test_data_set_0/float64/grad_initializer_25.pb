Bfeatures.7.expand3x3.bias_gradJ€X&±•åfe¿€dÕc(?=ÕVH\<‰¿Ôü/ï]dh¿Åcq
O\¿Ó©Èé‚¿hsÂ—Ù€?Å¸jŠŠ+'¿)8Q,•?dUŠ=Lk¿rØ
Gè2?¸èjê•?ïş`!¥›¿ö£¿n‡?½>-r	r¿¨Ûk¤ğˆ¿