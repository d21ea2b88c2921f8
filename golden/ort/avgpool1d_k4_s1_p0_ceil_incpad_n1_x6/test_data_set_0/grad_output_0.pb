
BY_gradJÀà<Ôe¿¼Zq?Dl$?nw]¿àE?