
BY_gradJ4J¿<åä¾„¡|¿xKÈ¾