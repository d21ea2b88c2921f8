
BY_gradJ DÍ>þf)?zj?€ˆi?`0=ÆY?$lž>Hª¶¾