
BBJÏU7¿Tê¿g‚a?PV…¿