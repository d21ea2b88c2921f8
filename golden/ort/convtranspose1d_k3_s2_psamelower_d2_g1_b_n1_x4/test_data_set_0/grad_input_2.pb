
BB_gradJ]rR@ЖPIРшкV?`SО