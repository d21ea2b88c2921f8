
BB_gradJ6YÀ½^ìÀDÚ@:eÈ?