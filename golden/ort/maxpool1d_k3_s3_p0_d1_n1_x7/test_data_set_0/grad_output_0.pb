
BY_gradJЯп=¶VїfюSї8§ѓ>