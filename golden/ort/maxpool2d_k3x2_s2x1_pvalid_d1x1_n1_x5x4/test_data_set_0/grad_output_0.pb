
BY_gradJ0rèE¿dEÛ¾ÐáD¿¼jA¿ÈÑT¾àOt=Èqt¿PñX?ào"¿$–3?úÅ¿†b¿