
BBJ L˜?U=Ca¿$g¾