
BB_gradJlû>≤›1øp/æÙm?hjä>7è@