
BY_gradJGdøtAHøX?\§¢>p§]æ–QêΩ