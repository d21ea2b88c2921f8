Bstage2.1.branch2.6.bias_gradJ@–Ôƒ2œ@LTËÓ¿@P1İä#@ò»VƒÓÚ$@¦­YŒ°,À
İİb×-0@@+O4Èå¿öïJø±‰À