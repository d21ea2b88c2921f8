B
input_meanJ?Ëš?+W'>[š¿<$¢¿