
BY_gradJ¨¦c¾@ï<DúI?6^?