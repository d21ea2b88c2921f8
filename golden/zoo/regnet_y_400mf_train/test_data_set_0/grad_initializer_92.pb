B.trunk_output.block2.block2-2.f.a.1.weight_gradJ@Æ†<Å—–<%Í>†v¾æeü½Af½ßNø½ÉL™>u
K¾â¬|½TŸ>‰ş‰ºğ%¼|l"¾™ª>ôoŒ=