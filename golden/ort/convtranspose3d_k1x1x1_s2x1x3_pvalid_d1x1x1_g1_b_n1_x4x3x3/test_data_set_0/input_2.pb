
BBJ)¥Û½cd|=p??sW@