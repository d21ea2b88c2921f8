
B$inception4e.branch2.0.bn.weight_gradJP›~”@Ğ¿ßˆë/M±¿²«3Ø¿pOà`ß?bÆ¡ru¿¢Á5™g¯¿EÎHÀ?šz(¸àÀ¿JtÒ(W-ã?Ì;UÑÆ¿