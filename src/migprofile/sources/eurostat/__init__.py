"""Eurostat migration and asylum statistics: one module per dataset (asylum applicants,
temporary protection, first residence permits, population and immigration by citizenship), and
IOM GMDAC's gdidata extract of the asylum table. Shared reading in `_common`."""
