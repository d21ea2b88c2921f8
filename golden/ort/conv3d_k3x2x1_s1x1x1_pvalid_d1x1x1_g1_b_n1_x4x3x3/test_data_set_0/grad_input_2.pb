
BB_gradJæñö¿xHÉ¾\–‘¾H‰¾