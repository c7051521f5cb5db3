"""Pure geographic helpers (no Django): distances, GeoJSON checks, point-in-polygon."""
