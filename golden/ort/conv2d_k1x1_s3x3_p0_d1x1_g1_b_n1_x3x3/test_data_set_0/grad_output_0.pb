
BY_gradJ†^0?vO?¬iS?‚~>