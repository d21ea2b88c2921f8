
BY_gradJrk?ÕU?¸ß=?ð!Ï¾