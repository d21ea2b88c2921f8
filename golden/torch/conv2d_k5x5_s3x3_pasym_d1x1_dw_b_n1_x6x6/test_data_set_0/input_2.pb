BBJ{š
?×ÊÑ½Õ•W? RMÀcÀ“¿uLa¿