BB_gradJd/€¾?}EÀ" $À~p@±†
@YZÀ