
Binput_var_gradJí‰«¼ºˆï>Ä<?Ë\?