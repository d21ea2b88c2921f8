
BY_gradJTv¯>0å!?XeG¾4	p?ÞJ?¼ní¾