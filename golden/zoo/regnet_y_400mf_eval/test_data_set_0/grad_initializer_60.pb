B,trunk_output.block2.block2-0.f.b.1.bias_gradJ@³%‰<©ˆL»Ì[;ÒŞ<ox¦;4- ¼:4:è›5»Œ v;Hˆü;lñ¾9ü¶E=Ñ1
<ò[<oc;g-: