
BY_gradJTЭў╛╩ЗN┐nН!┐взF?