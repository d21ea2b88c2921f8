
BX_gradJ$Ры'їCяEїРnH@FlX=µk@ЎR@П<щ?Ь>ЅEіЂА