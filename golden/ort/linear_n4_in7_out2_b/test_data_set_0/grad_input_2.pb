
BC_gradJÈ’¾ji¿