
BW_gradJZEá?EA¾¾8X@vÀ?™W@.d½?