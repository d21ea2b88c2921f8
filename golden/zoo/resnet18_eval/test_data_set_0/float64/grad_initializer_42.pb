Blayer2.1.bn1.bias_gradJ@Hb„ºZ Ø?\‚¢ÊwÇ¿ã\Nõ×?çTÔW•¿
wJ»È¿¤ê.æRqî?z]¶Qİì¸¿îÜ[ñë¿