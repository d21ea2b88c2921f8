
BB_gradJI%Àg‚¾§¼?€†h>