
BBJuÁe¿£S”¾%D>OÄ«¼