
BB_gradJÖÇh@Ü¦P@Pz”>™È>@