
BY_gradJæêw?ûN?(ø(¿„bš>