
BB_gradJO’7@ S|¾bEÀLÌü@ò²nÁÃÀ¿