"""IOM Missing Migrants Project: the official incident CSV and IOM GMDAC's gdidata extract."""
