
BBJiôm?%p∆=©K¢?rKYø