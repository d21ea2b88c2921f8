
BB_gradJvO@Å÷@”„¯@Uh‚À