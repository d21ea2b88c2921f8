
BB_gradJyихї9аAђ-~AСл?