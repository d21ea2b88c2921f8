
BB_gradJ(´†>ÆëŒÀFLË?yÎ«À