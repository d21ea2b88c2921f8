B!layer4.0.downsample.1.weight_gradJ`ﬂ≥ô=d’®æ'‘<æui¡<tÒBæÒÅ•=¬„#>ïëkΩ¡$Cæ\%>•/ræo∏=‘≥Y=ö«º≠±äΩ‘
ºêóh<ær=æ‰≤=okj=hÙ>˛…æé¢>–üÊΩ