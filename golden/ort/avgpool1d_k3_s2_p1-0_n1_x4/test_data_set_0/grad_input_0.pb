
BX_gradJ HŸÈ¾Q¿s ¾s ¾4‚ ¾QB¾v\½v\½