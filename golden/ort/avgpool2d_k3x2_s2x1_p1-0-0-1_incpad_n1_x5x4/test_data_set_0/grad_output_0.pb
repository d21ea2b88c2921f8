
BY_gradJ@²I?àÄ½¶MG?pµ=pz·>’OZ?ÄC?wN¿òm?’u?ðÃ·=f¢?pàY¾ ÷8> ±‹½äež>