
BY_gradJ ®‹b¿öTI? Ê=¿zØb?Àv= Í½bº]¿€äJ?