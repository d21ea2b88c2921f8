
BY_gradJv1z?€Ð	½LRO?\ö¿0œ½€ÇY=