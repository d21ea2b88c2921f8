
BX_gradJ$йdн?Odeю┌ч─╫сPО?d#з?k|х=╝d@hЕ©√ит>