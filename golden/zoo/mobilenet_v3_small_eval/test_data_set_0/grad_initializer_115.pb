Bfeatures.8.block.1.1.bias_gradJ@r>7HµtµŸÅ~·Ž:†¶æÜ¶šRÞ¶´ù6ž±7W	û5ea5§ç©·!'&7”‘6„ú27Ø
±6´]©¶