
BB_gradJЎA┐TХ[┐цун┐╪;c┐