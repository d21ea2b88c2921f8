
BB_gradJh£Y¿ùcí¿D20¿Ó¥Ñ@