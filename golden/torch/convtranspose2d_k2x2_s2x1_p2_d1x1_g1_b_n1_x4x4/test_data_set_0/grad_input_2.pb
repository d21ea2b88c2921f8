BB_gradJ°%[¿øQ(¿Èük?H•
@