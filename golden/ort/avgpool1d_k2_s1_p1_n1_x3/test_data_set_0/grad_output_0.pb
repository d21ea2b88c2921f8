
BY_gradJ ‚º¿t«9?¨|?àHé¾ò­t?¨ík>XÂ]¿rqD?