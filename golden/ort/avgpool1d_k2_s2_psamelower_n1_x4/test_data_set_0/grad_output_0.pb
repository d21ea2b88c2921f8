
BY_gradJ0o|¿tÍl¿@·÷=ÌN±¾