
BscaleJñXØ¿OVò¾Çb?yy¿