Bfeatures.6.conv.3.weight_gradJ E╘хюс╬╕g3■ы>Зkyд^╦©
┴йfkЯ╬