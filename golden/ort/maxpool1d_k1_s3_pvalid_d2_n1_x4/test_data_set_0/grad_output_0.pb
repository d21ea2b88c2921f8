
BY_gradJP'Ý>†Öi¿¤¥L¿<>Ý>