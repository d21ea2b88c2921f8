
BB_gradJ<‘∏>fO¿⁄1å?ÆçL?>±x@MZÅ¿