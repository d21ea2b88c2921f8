
BY_gradJ ÀŽ¹½Ü2N?nLC¿P4Ù¾¼³¿pr¿€×U=€~$¾