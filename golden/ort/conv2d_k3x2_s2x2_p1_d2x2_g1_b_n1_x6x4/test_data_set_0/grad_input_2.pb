
BB_gradJ®tænê@ø0ù'@F'?