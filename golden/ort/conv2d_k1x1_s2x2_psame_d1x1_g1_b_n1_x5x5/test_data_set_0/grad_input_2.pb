
BB_gradJN¢c?Wﬂ∂?*ÔA@íﬁ@