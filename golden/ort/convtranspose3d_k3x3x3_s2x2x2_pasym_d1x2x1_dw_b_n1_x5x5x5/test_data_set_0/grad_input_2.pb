
BB_gradJ¥,j¿?√≤AJ‚@A@∂g¿àÍ@òB7@