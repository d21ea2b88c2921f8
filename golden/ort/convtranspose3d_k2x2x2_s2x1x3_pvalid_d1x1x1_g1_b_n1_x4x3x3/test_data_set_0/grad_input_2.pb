
BB_gradJÞ
€À <¨>!x£@ŽrA