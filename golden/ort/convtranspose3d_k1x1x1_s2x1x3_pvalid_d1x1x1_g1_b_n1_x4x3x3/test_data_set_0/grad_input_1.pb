
BW_gradJ0ä¬®À'\J@THþ>ðÃb¿KÈ×¿nóAnD>X>XÀ›vå¾VÂÀÎš‡¿!Á