
Binput_mean_gradJuà)»Y;“?