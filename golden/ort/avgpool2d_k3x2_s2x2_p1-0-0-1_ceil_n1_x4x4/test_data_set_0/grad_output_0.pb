
BY_gradJ tÑ¾’w4¿@C¤¾8uL¾îÂ?XsÏ¾ si>˜ú&>