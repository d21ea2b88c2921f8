
BY_gradJ๒?d๒–>ฬPพุ่o?