
BY_gradJ°‘Ž¾ðn~¿hÇU?¼…š¾