
BBJ�잿%LU>ݡB>