
BY_gradJ ´1J?Ðd+?r\f¿ €º=°A¾&žH¿<âW?2ÒG?