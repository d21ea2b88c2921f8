
BB_gradJt„N?&DÀ2?<À {=