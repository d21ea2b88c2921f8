
BB_gradJ ·o½I_@ñ‹b@dQî?