
BB_gradJR—p@j‰¿b^ÀÇ[@