
BY_gradJ€T¢<@™q¾ u½„Šg¿”—>°D?