
BBJKљІ=IмTїЄcLї}бЮ?