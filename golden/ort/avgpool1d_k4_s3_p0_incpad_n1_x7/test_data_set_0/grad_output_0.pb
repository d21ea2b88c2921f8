
BY_gradJ˜Ê >A?tnÊ>p8>