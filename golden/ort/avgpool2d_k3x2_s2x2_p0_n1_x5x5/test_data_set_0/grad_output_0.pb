
BY_gradJ Ko©╝#$©╢ы>xыш╬Ч╝©ХP©jm}©ПGA©