
BB_gradJîpAµ:F@bDAJ•¿@åÀ„¿“£@