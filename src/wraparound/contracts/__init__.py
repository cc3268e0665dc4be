"""Alliance contracts: terms, statements and the arithmetic from activity to payment."""
