B,trunk_output.block2.block2-1.f.b.1.bias_gradJ€W±{÷±¿J{Gu%·?.î·á
ùÌ¿p"‘#à§¿¥cHÇ¿IµJŽ>¾Â?DBGD€‘? qÍPkÄ·?ˆŸ¯Ñ@ÏÁ¿à0õÀ³¹Ë¿}¨Ý’µ#Ú?#YEb‚Â²?&';žØÅ?=eAÎsÂ?(òÓôMÒ¼¿P¥Þ‹
‰¿