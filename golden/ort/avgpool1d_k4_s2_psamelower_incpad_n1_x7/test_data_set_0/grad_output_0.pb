
BY_gradJ ¼9Œ>B«t¿JIy¿8Â4¿H4$¿4M¤¾îx*?îM¿