
B0features.denseblock1.denselayer2.norm1.bias_gradJ(Cİ;Ù{<æ …<~ßÖ;8éc<u\Õ;§¤È¼¬QÆ;`½[:ª:Î: