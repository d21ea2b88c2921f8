
BB_gradJöqTÀa?,@‚7À~é,¿