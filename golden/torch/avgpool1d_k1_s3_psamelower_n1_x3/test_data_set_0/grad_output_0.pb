BY_gradJz
?ð=•¾