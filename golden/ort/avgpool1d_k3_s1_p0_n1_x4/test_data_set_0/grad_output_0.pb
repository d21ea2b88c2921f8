
BY_gradJ¨j=?Ž³\?Jn	?„K°>