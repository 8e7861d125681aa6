"""Data intake: reading messy files, entry templates, mapping, import into the store."""
