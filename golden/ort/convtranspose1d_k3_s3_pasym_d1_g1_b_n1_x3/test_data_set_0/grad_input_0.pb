
BX_gradJ$5s-¾wò¾§`m>vsmÀ*gÇ¿ÿl@¶1¥;þI9¾}"À