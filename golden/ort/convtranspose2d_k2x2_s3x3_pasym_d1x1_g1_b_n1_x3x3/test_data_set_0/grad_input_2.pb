
BB_gradJ›UÊ@şgÚ¿Æˆß?çqƒÀ