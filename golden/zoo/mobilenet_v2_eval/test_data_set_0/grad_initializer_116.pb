Bfeatures.8.conv.3.weight_gradJ µu7*¯Q8íôE8,¬
·a
·#ĞŞ6x3¶©9