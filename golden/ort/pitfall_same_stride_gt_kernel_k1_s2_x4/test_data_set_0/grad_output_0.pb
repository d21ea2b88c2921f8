
BY_gradJ®J¿äQl¿hÏ3?$„÷>