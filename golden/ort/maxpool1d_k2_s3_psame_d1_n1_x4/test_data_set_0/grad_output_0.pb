
BY_gradJ€Ç§> ?R¾ú›$?¢yV¿