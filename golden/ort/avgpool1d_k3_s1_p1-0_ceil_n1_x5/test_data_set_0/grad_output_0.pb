
BY_gradJ `|ë=h®/¿@—G¿àÞí>jõ¾¬P¿Jz¿t™4?