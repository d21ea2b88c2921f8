
BBJKó?GÉì¿¿nO¿Ààm½