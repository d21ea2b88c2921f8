
BB_gradJeV›Àà*f?4¥¾z?†¿