
BBJ®o.>wP¾n…l?¢Ûÿ¾