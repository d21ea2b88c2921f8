B
scale_gradJ NΓκρ₯\@mΏΊovΐkΉΫσ!χί?€»γ μNΐ