
BB_gradJ½a¼?=Á¿t§>@ÆÍD¿