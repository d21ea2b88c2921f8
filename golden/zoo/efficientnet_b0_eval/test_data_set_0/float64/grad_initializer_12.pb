B$features.1.0.block.1.fc2.weight_gradJ€,œZïMØ=:Å(¦í=ĞÎ8Jfr>pËôÌ¸ø„>àM*“æØ4¾ù[ÕCÇG¾YT"OT>>€2`g>&Œ™l+
>LŠß‘ì_>B·Î±5¤V¾ iepùi¾²Qßâ¿V¾¸tyã®Ìi¾î ±F¾ íS{<"¾