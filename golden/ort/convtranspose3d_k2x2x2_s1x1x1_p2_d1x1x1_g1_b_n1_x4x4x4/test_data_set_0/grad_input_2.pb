
BB_gradJЋ9;?P\B?tМи>°±>