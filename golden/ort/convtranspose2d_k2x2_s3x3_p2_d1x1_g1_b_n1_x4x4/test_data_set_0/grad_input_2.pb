
BB_gradJJß*¿»®ö@Ú∂øfk]@