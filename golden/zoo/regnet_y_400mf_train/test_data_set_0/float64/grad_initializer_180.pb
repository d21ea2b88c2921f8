B/trunk_output.block2.block2-6.f.se.fc2.bias_gradJ€>yaT¶iŒ?Ü)¦Óx¿®AscÀ{¿»õF‡Û•…¿îšÞh·ˆ¿
ÂÈ€Ì¹V?Gã]uØ ?è"]t—<†?d¡ø7‹x¿ bøy¿zÁ´¨~ˆ¿ˆN¹(S%‰¿yóæ÷F¡?í÷Š»(a?èŽ/2€¿¿BäýRØ?