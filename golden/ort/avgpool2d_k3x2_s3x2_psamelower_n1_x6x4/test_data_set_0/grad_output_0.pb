
BY_gradJ F¿¦j ¿Ø
Q¾ÀÌ¤½xÈ|>4¦>ÐV¾ÌEt?