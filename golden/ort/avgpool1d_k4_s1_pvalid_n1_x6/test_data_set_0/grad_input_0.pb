
BX_gradJ0@Θ=>:h=BΗ ΎBΗ ΎΑG―ΎΘΥZΎΜa°½άε€½BBeΎBBeΎ\ΎTΟ$Ύ