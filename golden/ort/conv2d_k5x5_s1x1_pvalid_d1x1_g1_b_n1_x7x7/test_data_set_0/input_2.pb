
BBJ…ÒK¿6™®?m`A¿ãgd>