
BBJZ=Þ¿U@B¾+¶q¿çJ2>