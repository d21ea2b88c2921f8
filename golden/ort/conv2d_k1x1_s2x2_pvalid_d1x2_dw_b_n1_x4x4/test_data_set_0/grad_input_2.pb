
BB_gradJ\>°>žô?J›¿Zfä?€LØ¼ˆÌI¿