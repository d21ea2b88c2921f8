Bstage3.3.branch2.4.weight_gradJ@pN¼¿çÚ@ãA^Àd9@Ü°¾z†=],›>ß–?¾i¥º¿Çƒâ?š¬+¾{hÀ+ú’?KÏ
¾—8¦¿$G?