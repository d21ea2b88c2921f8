BB_gradJv
&@}]@¡½]ÀjG\?