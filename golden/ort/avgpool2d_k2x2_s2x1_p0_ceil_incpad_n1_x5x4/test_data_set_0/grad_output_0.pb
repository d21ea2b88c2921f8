
BY_gradJHdyŒ¾jwf¿z¤>Z…Q¿ÔÌ,?Œs&?œè–¾z_¿ ;¿õ¾°ó¡½€-Ô<fg;?0­¾V)R¿(n	?¦0y¿Fqp¿