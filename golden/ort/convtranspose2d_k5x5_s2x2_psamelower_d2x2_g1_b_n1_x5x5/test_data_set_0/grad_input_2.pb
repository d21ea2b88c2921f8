
BB_gradJœiÑÀc¾ëÀÂ²XA@×=