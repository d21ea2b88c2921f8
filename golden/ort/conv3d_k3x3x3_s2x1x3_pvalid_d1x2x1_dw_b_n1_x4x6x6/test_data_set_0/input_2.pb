
BBJmNS½ÞGÏ¿«L×?@¶ˆ?¨›×¾pCE¿