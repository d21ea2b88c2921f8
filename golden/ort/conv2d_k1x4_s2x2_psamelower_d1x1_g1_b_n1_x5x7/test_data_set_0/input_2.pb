
BBJлгїhNdї7їBJА