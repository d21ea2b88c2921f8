
B"inception5a.branch2.0.bn.bias_gradJ(HkÖ<N>…;q½6WÍ¼$.Ó<#J½€8n½×–>s¦…½Úw£<