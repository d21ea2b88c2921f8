
BB_gradJŠmÀ]’1ÀbLç?€F>