B.trunk_output.block1.block1-0.f.a.1.weight_gradJ@:-7G‰פ¿=©U÷ך?Ýˆ9¿?
ט®ֳ­¹׃?
מ°`גלח?₪ץ~ֶƒßְÜP°Q>¹@ÞÙ½׳מִ?