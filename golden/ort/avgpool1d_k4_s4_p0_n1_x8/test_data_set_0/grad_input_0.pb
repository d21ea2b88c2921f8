
BX_gradJ@ñXN>ñXN>ñXN>ñXN>/.>/.>/.>/.>uùΩuùΩuùΩuùΩ@IK<@IK<@IK<@IK<