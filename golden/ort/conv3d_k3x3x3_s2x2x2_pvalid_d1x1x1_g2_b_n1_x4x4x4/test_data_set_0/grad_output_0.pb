
BY_gradJx¸O¿[V¿¦ð?|¬È¾