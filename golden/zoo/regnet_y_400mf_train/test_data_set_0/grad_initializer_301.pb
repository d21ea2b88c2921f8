 B.trunk_output.block3.block3-5.f.c.1.weight_gradJ€À»ØëŠ:M]%<Ÿ<öy<êD
:ÂŠ¦;V¼öªØº.Ná»ó@:ÿ[ì;·Pˆ;eBİ¹åÍ;Y…<o›†;òv;&€<ú<ö÷²;lá»ebÖ»wÑ!»oó¼dxºVø§»Éç¹–šŸ¸w/¼¶
¼A÷)»