"""nightout: run National Night Out end to end."""
