
BB_gradJw"³?şL,À7ÜvÀhë?