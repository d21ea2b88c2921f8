
BB_gradJ†^0?vO?¬iS?‚~>