
BY_gradJHÐt>Àšb¾ØBh¿À½Ô=4þy¿²ŽQ¿ÎAh?OU¿ôL×>¸¸1> U{>`õˆ¾L‡e?HgA>à"ë>ò‚f?^|T¿D7¾