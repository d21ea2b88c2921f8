
BY_gradJXP ?Âæ`¿òŞn¿huP¾