
BX_gradJ@_½½¸m”>"tJ>³;ÿ=@òg>ây{¿p;©½