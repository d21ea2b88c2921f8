
BX_gradJð”€¾hó-¾nmZ¿ü7?0^o>ä»b¿