
BB_gradJ€T¢<@™q¾ u½„Šg¿”—>°D?