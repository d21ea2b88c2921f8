 B.trunk_output.block3.block3-1.f.b.1.weight_gradJÄZ+;Ω–\U=c€Ÿªô∑#ΩÖ"/ΩYuY<tàzº'9 =U¨kºØN<€õ]<—ºæ…s∫i&âª$Ÿ<“>;C{à<–Rä<öZ±<aåΩIp=<?éº»
$<◊&=≈ΩŒ√/=7·º6ßâ<èã∞ºIØ	ºGùªr<