B"features.1.0.block.2.1.weight_gradJ@	ίϋΓk‘>QΦΊU^Ά>Ζ3φ»“£>,­zÿ©>PΙ-9——Ύ‰Ωσό
΅>SRA+|Ύ¬όNOR>