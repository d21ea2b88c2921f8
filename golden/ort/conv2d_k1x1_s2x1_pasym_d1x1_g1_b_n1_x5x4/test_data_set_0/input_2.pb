
BBJAчI?sMg?+{╛емЦ>