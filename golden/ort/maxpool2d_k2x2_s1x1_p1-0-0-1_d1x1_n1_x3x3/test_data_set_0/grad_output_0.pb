
BY_gradJH8g?é6rørSP?–Fæp>0»OæÇü{øZÀFø Ixøpk>‘ÁO? Õ= ø)=≥«æ~+t?à;M?¥Äªæ$D„æ