
BX_gradJ0°FÏ½°FÏ½$f!¾$f!¾0g½0g½.J>.J>@Â¼@Â¼RãR¾RãR¾