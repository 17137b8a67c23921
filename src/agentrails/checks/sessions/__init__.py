"""The sessions family (AR501-AR503): handoffs and their index."""
