"""A book of clients: read records, assess each, write in order, workers."""
