"""The edge: files, terminal facts, safe text per destination, input caps."""
