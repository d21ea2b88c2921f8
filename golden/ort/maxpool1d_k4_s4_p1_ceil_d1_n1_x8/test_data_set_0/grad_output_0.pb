
BY_gradJ๏'?ชY!ฟP3ื>T๏Eฟd๏พิ๙Rฟ