
BB_gradJ`P?µfè¿²±x¿l€¾>