
BBJir
?>©d¿íƒá¿âhJ?