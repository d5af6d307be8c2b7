"""News: press releases split into items, tagged with countries and themes, and the figures
they quote checked against the store."""
