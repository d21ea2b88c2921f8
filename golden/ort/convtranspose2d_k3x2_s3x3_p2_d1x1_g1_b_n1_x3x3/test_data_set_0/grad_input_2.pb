
BB_gradJÜxš?ÑLK@,Õ ?€°Š@