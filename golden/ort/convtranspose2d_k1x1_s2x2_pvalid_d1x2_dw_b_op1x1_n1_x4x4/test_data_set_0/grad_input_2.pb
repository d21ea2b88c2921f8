
BB_gradJฃ)ภF]@ูeภHCภาýp@2<ฟ