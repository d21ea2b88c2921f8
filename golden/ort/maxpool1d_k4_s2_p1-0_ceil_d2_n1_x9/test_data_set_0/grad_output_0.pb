
BY_gradJxKB¿ÜRÓ><š>T;8¿„)A¿H>