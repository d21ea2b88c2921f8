
BY_gradJÌ>.¿x†?¤Êd?‚ãe¿