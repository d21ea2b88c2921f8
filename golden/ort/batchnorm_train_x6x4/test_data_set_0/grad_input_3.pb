
Binput_mean_gradJôNª¾X½b¿çªY?O¿