
BY_gradJ(P©O>”'¿ÐqS?F”@?¸Ú~?nrE¿R©z?Rºv¿¡7¾œÂ¦>