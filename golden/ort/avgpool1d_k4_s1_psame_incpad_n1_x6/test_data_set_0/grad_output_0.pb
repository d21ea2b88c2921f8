
BY_gradJ00¥p¿0¬Õ¾ bâ=lS?ôEi¿ZµN¿“?îsL?põì¾`ÐA½èÔÀ¾´t„>