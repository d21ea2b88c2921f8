
BB_gradJ)LnÁfŠNÁ×T§?WÚ—A