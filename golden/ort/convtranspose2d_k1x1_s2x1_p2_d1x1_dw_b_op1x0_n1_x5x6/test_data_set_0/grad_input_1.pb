
BW_gradJÂÔÆ¿_wÀRKR@]í?8n´½Ãyß?