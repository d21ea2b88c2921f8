
BBJØl¼¾oGØ>B9‹<ÂH˜¿