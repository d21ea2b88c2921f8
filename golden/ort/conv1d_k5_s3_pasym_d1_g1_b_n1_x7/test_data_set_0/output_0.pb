
BYJ ôH³¿YP2@bÁ§¿x`š=Fpr@|Ç@bV@ñ¤—¿