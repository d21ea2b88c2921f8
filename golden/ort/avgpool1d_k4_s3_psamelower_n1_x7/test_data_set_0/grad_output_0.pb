
BY_gradJNl?x}PОт+i?ўQ?vl8?.ф)П