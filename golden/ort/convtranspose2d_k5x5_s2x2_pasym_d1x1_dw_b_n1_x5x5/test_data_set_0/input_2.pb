
BBJ¼?hC@ýd¤?hS–=¢uÝ½v¶?