
BBJr»qΏλήz?q²NΏδOΏ