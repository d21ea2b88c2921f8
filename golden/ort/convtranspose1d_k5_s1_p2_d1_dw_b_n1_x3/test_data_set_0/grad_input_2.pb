
BB_gradJิ๘าพ~iฟW7?ศฯ>hÞ%พJฆM?