
BBJ°jü>úE[¿‘JŠ?rºLÀ