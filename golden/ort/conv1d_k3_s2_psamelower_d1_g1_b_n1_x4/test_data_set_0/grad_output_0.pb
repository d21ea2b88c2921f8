
BY_gradJ  ì:?ú{m¿XØ@>T?O?îW(¿x™Ž>Hé¥>ÊQl¿