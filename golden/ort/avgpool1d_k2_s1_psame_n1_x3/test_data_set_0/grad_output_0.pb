
BY_gradJnHøçyæäñ/?®@ø@∂Uæ:wZø