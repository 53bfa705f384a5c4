"""Realistic values for the corpus's template placeholders: moved to
`reasoner.benchmark.placeholders` (so `perimeter bench` can use them); kept here
for the scripts beside it."""

from reasoner.benchmark.placeholders import KNOWN, substitute

__all__ = ["KNOWN", "substitute"]
