
BB_gradJÿA¶5ú@j‡vÀOPû@