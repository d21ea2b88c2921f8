
BBJ×å„?ark¿ùÏd¾Âh¾