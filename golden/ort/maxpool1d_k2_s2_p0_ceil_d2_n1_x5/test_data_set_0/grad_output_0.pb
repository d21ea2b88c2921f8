
BY_gradJàÏ>tÜ¾ÆåN?ŠOy¿