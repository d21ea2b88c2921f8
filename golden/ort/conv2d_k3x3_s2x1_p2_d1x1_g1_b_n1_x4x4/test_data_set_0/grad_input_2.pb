
BB_gradJÖBe?êeC?œ„/ÀjÓd@