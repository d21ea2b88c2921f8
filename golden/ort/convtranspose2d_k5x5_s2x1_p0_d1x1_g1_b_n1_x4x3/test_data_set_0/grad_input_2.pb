
BB_gradJvö¿4ùÁhJ@yÌ@