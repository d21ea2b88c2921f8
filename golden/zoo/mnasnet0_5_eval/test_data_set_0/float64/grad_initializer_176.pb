B layers.11.1.layers.7.weight_gradJ€
¹¼1ª ¿ßLÕÿó¾øÖÎìÄ¿[ï4' 2?Îìzûzb8?€	ÝUY;V?Úûß,td"¿mXI)…û>‘CÅèã6¿¨XUPfz¿b‡‰Îz;@¿Ui&ÓõB¿"ŒÏ…ýp,?sÚxðS¿¦È<ž	¿nðõº•)?