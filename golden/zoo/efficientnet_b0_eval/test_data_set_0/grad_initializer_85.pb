B features.3.1.block.3.1.bias_gradJ 
 i:öSºrÔ9Üá9Õã¹†ı1ºDKç·@S$: