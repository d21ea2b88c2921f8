
BY_gradJио!?ИњyѕR?Nb!ї