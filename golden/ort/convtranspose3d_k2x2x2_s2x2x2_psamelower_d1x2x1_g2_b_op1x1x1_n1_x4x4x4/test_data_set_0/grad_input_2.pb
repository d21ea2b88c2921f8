
BB_gradJÜΩµ@|∑¿EIA∑õ÷¿