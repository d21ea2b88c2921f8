
BB_gradJτέ=@Ύ®<ΐ}ΝA