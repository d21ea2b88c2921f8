BB_gradJŽ·k?þÅ?
 :¿