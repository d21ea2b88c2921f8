
BB_gradJEΊ¶?`R½DϋΎucπ?Ϋ@τό9?