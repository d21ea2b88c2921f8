
BY_gradJj์i?^๔dฟ,ุต>b,ฟBL?่หpฟ