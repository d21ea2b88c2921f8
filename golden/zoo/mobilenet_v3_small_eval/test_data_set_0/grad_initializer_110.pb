Bfeatures.8.block.0.1.bias_gradJ@XŒ3Ä~´0…W5y–´Hê³f²µ[Í²´®Ï95hÙ63É|Ê5Á
ã5Ñ5oƒá43Wµ0ª2üø(4