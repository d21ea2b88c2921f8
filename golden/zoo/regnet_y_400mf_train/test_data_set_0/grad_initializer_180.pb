B/trunk_output.block2.block2-6.f.se.fc2.bias_gradJ@XLc<&–Æ»4Þ»á¬,¼¹E¼zÒµ:Ã=¾â1<ÐVÄ»³ÃÏ»fóC¼Ô)I¼7
=Æ	<£’¼æÀî<