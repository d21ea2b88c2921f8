
BY_gradJÞ`?0½ƒ½hyg¿Da´¾´l?bó¾