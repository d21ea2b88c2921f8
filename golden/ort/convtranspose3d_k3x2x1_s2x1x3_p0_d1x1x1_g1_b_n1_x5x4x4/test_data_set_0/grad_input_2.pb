
BB_gradJzBÁm—À,|EAî4ŽÁ