BY_gradJxØ2\?
÷?·å>ÈŽ[¿l"¿W%?,	Y?òG^¿\çi?R„=JQ^¿hÃ=Àóo¿hìG¿hñù¾YQ¾x>/¿Èop¿–¥W¿ŠsO?jK\?žp¿X?<c?Ð0f¿R%?ðóa¿jÈ)?ŠAx?Znl¿