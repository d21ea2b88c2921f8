
BY_gradJPw†¾ÀïN½ò…¿ä¤¾xM¿`-+=