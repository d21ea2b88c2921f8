
BY_gradJˆaR>fg5?Xl¿¨›ú>|)?L.Á>