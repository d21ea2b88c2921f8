
BB_gradJП≤©@LdюWyф?чаVю