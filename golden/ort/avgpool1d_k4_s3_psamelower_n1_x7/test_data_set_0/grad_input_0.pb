
BX_gradJ8Nì>]>Ò>x}P½x}P½èb>—r›>—r›>þQ>9ˆë>vl8>vl8>td(½“…b¾“…b¾