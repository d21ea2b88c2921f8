
BY_gradJ(!‹¾€i¥>ž&¿4E<¿dÛä>RCo?_?hE?žRC?ä¥­>