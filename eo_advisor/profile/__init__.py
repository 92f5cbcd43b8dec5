"""The profile: its schema, amounts, validation, the template and the examples."""
