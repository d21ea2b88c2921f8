B/trunk_output.block2.block2-0.f.se.fc2.bias_gradJ€|}èO#E*?·ÿ~ï*,¿¡|ı‘û?îÒyÅM?6<^µCH?J­³-¿^çÚÏß¦¾4ÄÅ¬Ş¾JKKnË$?
ŒaÍYå ?9-é®Îã>=‡F)1p?!îT·ø@?¢|j³M?/OA>=?â¬¥Øà«¶>