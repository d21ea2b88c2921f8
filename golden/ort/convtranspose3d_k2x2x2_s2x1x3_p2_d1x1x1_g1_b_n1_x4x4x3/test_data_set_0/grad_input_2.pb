
BB_gradJŠDJ?²RbÀJ)GÀPò½