B
scale_gradJњкђ?*ЕW>дХАз‰IЅ