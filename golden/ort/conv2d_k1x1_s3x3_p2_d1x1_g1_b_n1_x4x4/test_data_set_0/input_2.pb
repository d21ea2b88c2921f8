
BBJtcl?â¾4yý¿ÀT]?