
BYJsLK@E=S?