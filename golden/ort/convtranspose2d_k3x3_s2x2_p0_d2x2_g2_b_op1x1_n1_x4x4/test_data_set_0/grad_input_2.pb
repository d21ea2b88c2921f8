
BB_gradJJ,Aเด
พ@๓€@ึ[kA{	mภrฒภ