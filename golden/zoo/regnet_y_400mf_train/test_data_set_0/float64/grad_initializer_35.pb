B.trunk_output.block1.block1-1.f.b.1.weight_gradJ@tΒή2Χε?ζ”pάΏϊ
ΌΔεμΏ'±'4¦κΏxo½>dιά?ΉαέΥΨ?ΩζωΡΏsªrƒª?