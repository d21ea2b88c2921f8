
BB_gradJ|<ó¿m‘0À~sÀº³s@