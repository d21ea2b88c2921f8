B.trunk_output.block2.block2-6.f.c.1.weight_gradJ€ìG@r^T¸?VÈ×›Vu¿ÊÌÏ£O4¿ŒT9¢	¡?
Ÿ«|8¶¿v¨¢{m3z?`¶Í IĞˆ?Fh8ûË¤?â](4x?³ß/V±¿ôx¬J•Bc?×ò¼B¶î˜?æo¤¿‚ï*ÁFÌ±?î&È9b¥‡?—¦¿™ä‹?