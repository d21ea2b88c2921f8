BB_gradJL,Aะด
พ@๓€@ิ[kA|	mภrฒภ