"""UN DESA Population Division: International Migrant Stock, one module per dataset."""
