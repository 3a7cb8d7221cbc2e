"""birthplan: one co-produced pre-birth plan, rendered for every audience."""

__version__ = "0.1.0"
