"""Helpers of tasks/golden_torch.py (see its docstring for the contract)."""
