B,trunk_output.block2.block2-5.f.c.1.bias_gradJ@N®P¼Â/‚<§,½'ÁS½õ—²=ýS½àŒƒ½Ð0Š½â´Z=îq™=úsm½0p½I.
=D±¬;QT½Št¼