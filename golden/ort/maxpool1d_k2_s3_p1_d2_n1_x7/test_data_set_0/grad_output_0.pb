
BY_gradJfH?ÜŒ„¾Pd¿¸‡>ÐXŸ¾ÕR¾