
BB_gradJXP ?Âæ`¿òŞn¿huP¾