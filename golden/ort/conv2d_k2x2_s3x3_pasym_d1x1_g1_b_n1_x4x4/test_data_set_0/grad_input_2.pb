
BB_gradJ¤p@hªÛ>iª¨?JB?