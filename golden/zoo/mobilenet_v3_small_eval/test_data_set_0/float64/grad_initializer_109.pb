B features.8.block.0.1.weight_gradJ€ž}¨µ T>;€Nß½êƒ¾_—ü“IEz>oËÜs»4>”æ~Z÷
I>»G\ßJ‚¡>›¸W÷Ój¾Çr8ìâ¥€¾ƒæP·=¾×ˆ·p‚?„¾Â–‘Œs:4>Ò‘Ru“”¾8s·t^:†>“d¶ôó‘¾šË}[]ë>Õ]HOîV„>