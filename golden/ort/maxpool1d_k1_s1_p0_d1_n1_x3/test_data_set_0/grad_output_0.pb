
BY_gradJ|Úh?`y–æ|õ_ø$/s?fDH?‹g?