BB_gradJQSKÁæ&Y@G:½AoôMA’– Á
QÁ