
BY_gradJВыY?DК>