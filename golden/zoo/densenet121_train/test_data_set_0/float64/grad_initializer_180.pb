 B3features.denseblock2.denselayer12.norm1.weight_gradJ€©ÀKL¨f?%Æ0:¥|¿w`±
ßW\?&¼´'MŒ¿?E€#…<j?ÆÖHŒà“¿Fw½Ñ
g,?Snàäõ:|¿i=´ìgÍ›?’èŠ¦_”?÷ŒÀ°˜¿³3#WÈ”?SHpmF@?cvBÿÏŠ?Ağ-xPš?3±ŞuZf?…û’y(Åw¿şv%•²Ÿ?A-Í&S+}?9zÍJªC~?zqJG<…?Å-Œê®õ¢¿bğêÔ¯@¡¿»Bd¢ç’?;d°C˜M›?Öp²­òŠ¿…ŠGÔN?zNRP¢¿aHñô÷©z¿bpmVñ±š?”ÿ§ñU”?¼Ö¶˜Åş ¿