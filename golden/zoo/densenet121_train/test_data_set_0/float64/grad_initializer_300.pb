B3features.denseblock3.denselayer11.norm2.weight_gradJ "
‰¾µ¯´¿àaºl«¿v…÷*;S·?"«*«Èá²?