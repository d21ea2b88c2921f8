B features.1.block.1.fc2.bias_gradJ !88;$g):ªÕN¹›×
;4w»È!ª8ä¹ÂI»