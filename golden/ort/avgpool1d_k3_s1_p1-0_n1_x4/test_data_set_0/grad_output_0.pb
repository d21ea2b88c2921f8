
BY_gradJˆ¬v?Øáv¿@Á¾$ÅL¿ŒïJ?L®Y?