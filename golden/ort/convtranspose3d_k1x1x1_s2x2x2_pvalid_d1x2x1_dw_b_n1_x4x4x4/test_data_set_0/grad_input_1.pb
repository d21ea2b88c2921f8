
BW_gradJhjèΩüÃå?,õC@‡√u>íl¿dòv¿