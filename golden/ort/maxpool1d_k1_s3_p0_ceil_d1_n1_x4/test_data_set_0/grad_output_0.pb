
BY_gradJxÇo¾ø0¿`,Æ½@i•>