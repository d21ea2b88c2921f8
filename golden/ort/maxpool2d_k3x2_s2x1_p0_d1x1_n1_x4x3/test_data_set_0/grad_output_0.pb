
BY_gradJÉd?ÀBN=ÒÆ)?e¿