
BBJ½c?iÎº=tšo>Èpv¿u<9½JV&À