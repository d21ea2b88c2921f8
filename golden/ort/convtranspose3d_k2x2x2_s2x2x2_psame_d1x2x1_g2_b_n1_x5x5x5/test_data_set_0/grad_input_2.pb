
BB_gradJcRŠA¨%ATÁ†ùÂ