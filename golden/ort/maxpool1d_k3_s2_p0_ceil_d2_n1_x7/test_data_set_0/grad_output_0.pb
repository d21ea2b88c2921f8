
BY_gradJtвјОЦ2;ПаcЬ>dыQ?