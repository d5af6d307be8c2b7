"""World Bank Remittance Prices Worldwide: the corridor export and the provider dataset."""
