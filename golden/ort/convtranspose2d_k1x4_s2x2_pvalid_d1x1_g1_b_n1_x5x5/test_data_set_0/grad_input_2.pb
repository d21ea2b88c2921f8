
BB_gradJ»=¥ÀLºâ@ 	"AªA