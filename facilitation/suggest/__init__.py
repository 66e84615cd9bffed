"""Offline suggestions for a board of ideas: near-duplicates to merge and clusters to form
initiatives, each with a proposed name. Russian first; no network, no model fetched.

`suggest(texts)` is pure; the analyzer and scikit-learn load on first use and stay per process.
"""
from .method import Cluster, Suggestions, suggest

__all__ = ["Cluster", "Suggestions", "suggest"]
