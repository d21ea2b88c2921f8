
BY_gradJ –ªB¿ørb¿8Oè¾ÈVL>¨'ú¾ø">ü‚d¿®HE?