
BB_gradJ6ûB?à d¾Râ¤¿tyü¿ˆ§Í? D?