
BY_gradJPธJ>pฯพิs!ฟฐษ๚=