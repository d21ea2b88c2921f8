
BB_gradJ€AM?Ï¤Š@ñ²á?PÞ•=