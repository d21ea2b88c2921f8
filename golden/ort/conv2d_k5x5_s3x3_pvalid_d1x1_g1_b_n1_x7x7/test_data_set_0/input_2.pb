
BBJ·mD?g×\?cR­>F†¬=