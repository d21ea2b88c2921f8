
BBJz•®їQ(ЌїgMїEјШї