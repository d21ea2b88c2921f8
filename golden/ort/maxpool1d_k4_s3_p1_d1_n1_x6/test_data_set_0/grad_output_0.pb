
BY_gradJžÍ=?FdR¿ ¶Û½¸¨
>