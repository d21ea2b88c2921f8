
BW_gradJผล>cVฟฯqง>me.พวI	ฟ้>