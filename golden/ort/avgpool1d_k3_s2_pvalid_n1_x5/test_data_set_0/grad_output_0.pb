
BY_gradJ¸’ï¾PÝh¾Ü	Z¿@î+¾