B"inception4e.branch4.1.bn.bias_gradJ@!,Ÿ‘ĞHÔ¿nêË!1sË?Öâñ7vË¿«øªq±Lª?Å
wBcš?(9!YuÊ„¿ªJÄİ|dº¿d§gE!GÙ¿