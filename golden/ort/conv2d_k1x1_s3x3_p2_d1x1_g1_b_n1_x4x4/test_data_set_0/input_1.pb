
BWJ0F[P¿OgU¿e¿»žP?%tu? ÆÌ¾„R ¾üD?³Ov¾:?8w¸¾b×=