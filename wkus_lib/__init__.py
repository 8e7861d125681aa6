"""wkus_lib."""
