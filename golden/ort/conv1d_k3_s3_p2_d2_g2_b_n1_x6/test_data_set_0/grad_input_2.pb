
BB_gradJiR®¿|õF¿Ìè¡¿h“?èÁ4?iÂœ¿