
BYJ=y¹¿Vk£½HB°¼C¿