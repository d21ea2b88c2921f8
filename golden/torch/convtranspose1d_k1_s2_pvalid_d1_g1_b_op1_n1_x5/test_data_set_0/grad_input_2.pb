BB_gradJ²ÀDe
@@4ÀRÇ¹?