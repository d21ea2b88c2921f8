
BYJrvฉพiใๅพDฦไ=Bฯh>