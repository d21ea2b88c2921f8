Bstage2.0.branch1.1.weight_gradJ@ύ?ÿb1ΐ€[
D@π|΅'Bΐ^Y‚Ά42ΐRιH‡μhP@* ω_Ν3@0I€ª60ΐήμν]Jΐ