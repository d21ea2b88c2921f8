
BB_gradJÄËºZh>t∆”æ\F¿