
BW_gradJŒ£L¿NT‰¾³{>ý«½>db}¿]k§>