
BY_gradJhë¦¾¤sD¿>]¿ w®¾0Pì>TDÔ¾