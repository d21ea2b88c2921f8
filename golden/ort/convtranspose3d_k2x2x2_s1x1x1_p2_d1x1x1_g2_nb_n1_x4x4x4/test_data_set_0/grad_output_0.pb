
BY_gradJ€O¿ìw£¾ˆá> A=