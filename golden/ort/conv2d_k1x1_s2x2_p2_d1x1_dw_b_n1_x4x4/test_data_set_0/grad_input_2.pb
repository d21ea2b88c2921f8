
BB_gradJd/€¾@}EÀ" $À~p@°†
@WZÀ