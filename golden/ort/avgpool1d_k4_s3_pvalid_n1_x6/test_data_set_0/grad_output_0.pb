
BY_gradJ–óy¿X½C¾