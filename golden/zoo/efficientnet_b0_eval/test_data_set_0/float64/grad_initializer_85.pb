B features.3.1.block.3.1.bias_gradJ@
“¸c$M?î°j®žbJ¿Û@QŽÚ ?Ú¾ÑÍ‚;<?bóV|"¿=¥ÿ°?F¿èåwéü¾yó–ÆgŠD?