
BX_gradJ0vâ˜=vâ˜=ww&>x´=x´=x´=ö/v¾ö/v¾ûK½1C>1C>1C>