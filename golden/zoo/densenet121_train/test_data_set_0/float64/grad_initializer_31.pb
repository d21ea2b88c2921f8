B0features.denseblock1.denselayer3.norm2.bias_gradJ 
[š}21Ã?€×ge´@»¿.}ˆuè¿^a™üUuĞ¿