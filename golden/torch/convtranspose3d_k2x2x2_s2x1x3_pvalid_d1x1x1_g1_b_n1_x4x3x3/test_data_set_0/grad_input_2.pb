BB_gradJà
€À°<¨>#x£@ŽrA