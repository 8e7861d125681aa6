"""Exploring indicators: the pure selection behind the explorer widgets, and the browser dashboard."""
