
BX_gradJ0ØÏ:¾ØÏ:¾“™×¾Nct¾Nct¾Nct¾–þþ½–þþ½ŠH«=#U>#U>#U>