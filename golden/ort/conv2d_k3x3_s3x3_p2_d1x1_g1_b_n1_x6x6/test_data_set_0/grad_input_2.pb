
BB_gradJP§@Þô%¿r>F?t')?