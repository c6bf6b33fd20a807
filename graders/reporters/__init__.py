"""Ways to present results: the terminal, JSON, and (for TAs) files."""
