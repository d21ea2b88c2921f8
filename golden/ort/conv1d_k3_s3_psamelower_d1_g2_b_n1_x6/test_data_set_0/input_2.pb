
BBJWL@¿A±=Râ?G[¿ŸçQ<v¥¾