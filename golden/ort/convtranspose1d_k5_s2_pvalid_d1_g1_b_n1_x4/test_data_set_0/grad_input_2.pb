
BB_gradJog?À@ıÉ= }@ˆh@