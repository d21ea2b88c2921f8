Bfeatures.7.conv.3.weight_gradJ s—7
k8(¶™Îi7P¶s#Í·ó7¸Q8