
BBJÅ%¢æºÂJ?,Cq? OEæ