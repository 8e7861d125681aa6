"""Statutory documents a gmina must produce about its cooperation with NGOs."""
