Blayers.9.0.layers.7.bias_gradJ@’бМ~?п$лЈІ?тdlHd?ф‰я
'я>с­нЧт-ь>мѕM!ДїZ”е»ќ	?1к¶ЇЖ(?