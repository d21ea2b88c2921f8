Blayer1.0.bn2.weight_gradJuOž=œg>t¨
>JY¾