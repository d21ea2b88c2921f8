
BXJHI_HΎP‡1ΌG?eGΏZjΌΎi%Ώu½?va@uh’=Έ\@pφαΎ{Φ@Z	ƒΏ­ΪκΏiάµΏRYΏGEΏ}a	Ώ