B"features.1.0.block.1.fc2.bias_gradJ@„öCz	÷>i¿ûcy±>kÓ{”Îs¾è{YD“>zZ’íK˜D>`´@I[–•¾
òè‰•¾Ÿ‰éCalN¾