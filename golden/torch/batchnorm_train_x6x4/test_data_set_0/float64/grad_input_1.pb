B
scale_gradJ Ý­.הzש?ב	>זחפ¿KÒגלVX×?vD{T8ם?