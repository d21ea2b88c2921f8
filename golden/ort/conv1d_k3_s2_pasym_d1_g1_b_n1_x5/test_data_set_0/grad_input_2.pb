
BB_gradJі8ћ?АsЅРЁЛ>xzТ?