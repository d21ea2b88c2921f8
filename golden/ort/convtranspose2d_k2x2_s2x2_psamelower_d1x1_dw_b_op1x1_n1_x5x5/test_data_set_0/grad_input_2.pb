
BB_gradJUÑ@TÀÈ½AÖI¶@.=„¿pç7¿