
BYJ€6pÂÏ5B8.NÁ|ÚÀh=5Á<4XBvZBA×A4¢ƒÁ´YTB¥ÂÍëÞÁ‹ÞEA+¯Ÿ@Ô¬ÝÀÁBºOÂ(–Ê@¶oPBVéBrßwBDÐ0BòuA‰£Aö±à@VC…A0! >¶OKÂÔ|ÃAeBÛsŒÂò+Á