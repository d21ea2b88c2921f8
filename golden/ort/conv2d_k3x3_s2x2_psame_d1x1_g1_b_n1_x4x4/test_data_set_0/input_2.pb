
BBJAnp?c?PX¿öY¾