
BY_gradJ n[?àÑi?Üçq?h|^¾‚Ù<¿úC¿æF&¿hS8?