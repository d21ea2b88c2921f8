
BY_gradJ @†Fæ,ﬂçæ¥∑_?xM\øtﬂn?úΩÎæ†i=ΩBÕXø