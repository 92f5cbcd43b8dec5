"""The advice: decisions as numbers, ids and reason keys. No I/O, no words."""
