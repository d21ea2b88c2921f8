
BBJóom?ªœw¿AÓ<ÄX1=