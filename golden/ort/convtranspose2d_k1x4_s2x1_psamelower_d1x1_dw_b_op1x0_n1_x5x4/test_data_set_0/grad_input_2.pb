
BB_gradJdª/¿„ÃI¿:A œ½–ŠBÀE•½