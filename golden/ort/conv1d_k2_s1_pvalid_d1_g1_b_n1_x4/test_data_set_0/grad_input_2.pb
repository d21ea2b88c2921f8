
BB_gradJx3x╬HЕX>TrW©|же╬