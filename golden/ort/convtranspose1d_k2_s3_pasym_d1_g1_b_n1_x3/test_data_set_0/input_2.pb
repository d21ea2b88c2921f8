
BBJGáG¿x1k?åïÛ>s•Ù;