
BB_gradJพI	ฟM1พÜสT?,อง?