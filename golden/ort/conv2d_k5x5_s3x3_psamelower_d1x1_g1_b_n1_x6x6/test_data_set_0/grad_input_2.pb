
BB_gradJ·„?eI-@HH+¾B‚£?