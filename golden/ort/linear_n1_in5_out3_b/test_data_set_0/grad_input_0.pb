
BA_gradJð
¼Öt ¿8	8>,iÊ>*çg¿