
BY_gradJÏ£=€MD¼