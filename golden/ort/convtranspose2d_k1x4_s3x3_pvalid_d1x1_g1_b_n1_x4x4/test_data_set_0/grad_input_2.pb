
BB_gradJτόÒΐ*@ΥFHA)Ώϋ?