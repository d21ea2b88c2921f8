B,trunk_output.block2.block2-5.f.c.1.bias_gradJ€ğ¼gã+Š¿6¤¥‰ñE?•ß8ë”¥¿öÛİÅ
xª¿¼å)S¶?ÄÑ¼­dª¿"Üùı¡q°¿6*ŸbF±¿TÕ¾·V«?/“bp@.³?-ò|Zb®­¿ífBŸ
Î¢¿h]cÕE¡?P€h¹?–u?ØÙÑtÊ£¿î1½C«.¿