
BB_gradJØøÁÜµ•AÊbBÌ½Â