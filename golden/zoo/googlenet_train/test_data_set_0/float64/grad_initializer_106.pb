
B"inception4b.branch1.bn.weight_gradJPgy^Ì–ŽÌ¿‰–äê\vÔ¿?S:Ã’?Zè…x¢ƒÀ¿^‡,C‰³È¿&€ˆ[›Ã¿í©Ü4„
à¿Ÿÿÿ8vp¿šÖNgmzß?ÇßHT»‘¹¿