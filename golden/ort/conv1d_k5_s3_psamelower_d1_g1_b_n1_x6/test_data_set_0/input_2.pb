
BBJงสัฟq(}ฝhJฟSFฝ