
BYJÆj?YM>PW!=Magø”MLæ„‹ø