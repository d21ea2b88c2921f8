B features.6.block.3.1.weight_gradJ@k[
YM¿¤õÁÎ@(¿ÆEV§?¿•	&&ÅP?èa„‹x€ ¿ÊÛÔ{™P¿)ÅĞOãQ?:¦)ÍVÏj?