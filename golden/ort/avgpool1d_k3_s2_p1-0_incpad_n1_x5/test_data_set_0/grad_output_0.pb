
BY_gradJşt?[?„iØ¾$?T¿