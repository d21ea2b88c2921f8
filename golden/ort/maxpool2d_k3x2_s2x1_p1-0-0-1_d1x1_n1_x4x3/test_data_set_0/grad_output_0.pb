
BY_gradJ0‰ш>8ПDѕа_Z=АI?`pВ>xХщ>ОrїHAvѕ°ыtїРOnѕЭlѕђЭ2ї