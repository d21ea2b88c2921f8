
BB_gradJPSKม่&Y@F:ฝAq๔MA’– ม
Qม