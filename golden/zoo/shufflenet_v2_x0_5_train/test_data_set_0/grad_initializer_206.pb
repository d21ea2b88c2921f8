 Bstage4.0.branch1.1.weight_gradJ€w0ù¾sÁŸ=‘(±<ú±á¼ht¬>Sƒ½´˜¤=b—>ïÒ¾˜&h>çgË½.’2>œo™=PAU=:+Ô½h|Y=ØI¾ù
Ã¾ªZş½dl >¼Wƒ=‰×Ë>VÁ½¦€œ¾[T>ò…—=¸W=F>I0·=Úúˆ¾Z¾C´Ò¾