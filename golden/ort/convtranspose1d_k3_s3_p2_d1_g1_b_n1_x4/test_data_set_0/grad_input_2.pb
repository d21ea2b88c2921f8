
BB_gradJЦiФ©вfц?■s<?lщи╬