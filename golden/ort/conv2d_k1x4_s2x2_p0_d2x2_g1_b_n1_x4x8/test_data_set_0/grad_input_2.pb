
BB_gradJpâH?|õ•¾œ~¤¿V`4¿