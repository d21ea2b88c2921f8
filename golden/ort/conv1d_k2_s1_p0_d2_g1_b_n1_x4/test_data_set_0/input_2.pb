
BBJZ'[?É·‘¿ujd>ÊfT?