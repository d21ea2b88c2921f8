B.trunk_output.block1.block1-0.f.a.1.weight_gradJ §NÁ84
wº9«íºnèë·£dÜ:ó¡j¹[$Ò7-: