Bfeatures.5.block.3.1.bias_gradJ@ฆ๙9ล๎เพ์ฑLต๕>พ,ว๘pฟ*ผVธk๛?g
Mณ๊>@\ýs.ขพ ๒’๕$’>ýํ,ส๑>