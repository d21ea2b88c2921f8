
BY_gradJž›7¿dPl?ÀÌq>vî¿