
BB_gradJX³¿L•@ÀRæ?|¯@?