
BY_gradJV¨??³%>