
BB_gradJ~ãwA∂é6A∂ qAÅt€A