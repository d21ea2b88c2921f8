
BB_gradJºÖ†Á·öA?°AV]¸@