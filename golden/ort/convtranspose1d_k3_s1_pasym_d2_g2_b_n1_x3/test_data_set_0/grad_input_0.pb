
BX_gradJ0ôE‹¿RJ*>S4À0î‚?q e?M€€?˜f¾úu¡¿n?j·M?òÐg>p)?