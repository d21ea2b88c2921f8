
BB_gradJx¸O¿[V¿¦ð?|¬È¾