
BB_gradJpSÀRžk¿P+’½?´‘?ÑF>D•?