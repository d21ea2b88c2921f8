
BY_gradJT‚l?¬¨Ü¾bªd¿æğN¿