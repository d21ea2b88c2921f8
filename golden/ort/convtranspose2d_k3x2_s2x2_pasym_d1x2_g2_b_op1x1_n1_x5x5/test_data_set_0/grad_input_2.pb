
BB_gradJBÄü¿qÌ!AL™Ü>¾>rÀôÃÿ@PÀ¾=