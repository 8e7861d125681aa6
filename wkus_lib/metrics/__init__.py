"""Indicator engine: statistics, reliability, privacy and data-quality metrics.

Every metric is a small pure function whose docstring states the formula and
its source; policies (missing answers, thresholds, interval level) are
explicit keyword arguments (DOMAIN.md §6).
"""
