
B inception4b.branch1.bn.bias_gradJP Ø"ÍÚ¿7/8|µ¿<%in"5Â? ¤oªá‹?7»ä¨i²¿SÕá;ƒŒÖ?¹(˜Ş¿±"8ÅüÏ?^¬—MÕ?y]iÁ:€Á¿