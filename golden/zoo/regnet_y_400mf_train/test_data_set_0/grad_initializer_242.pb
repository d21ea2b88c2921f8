 B/trunk_output.block3.block3-2.f.se.fc2.bias_gradJ€sººlqð9£yh<’éB¹þC»f¾:Ðüƒ¼µeº»9Ž»¢Å7»\Ü»tÑ;ã7)<Qù<°o :±=<Ý[:5—<$ô <èæTºÈî€ºr<¼qæ:ˆn„ºº!;d¶:l·äº`¯[8sÆ:
5ºz¸Y;ih¡º