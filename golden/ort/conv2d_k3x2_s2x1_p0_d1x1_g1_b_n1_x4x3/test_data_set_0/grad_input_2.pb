
BB_gradJ¬ŸÑ¾hYq¾ ¶o½‘¿