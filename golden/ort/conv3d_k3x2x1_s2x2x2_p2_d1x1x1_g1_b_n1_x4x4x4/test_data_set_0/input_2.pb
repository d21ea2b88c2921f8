
BBJค์C?–นIฟ@Ep?บ€r>