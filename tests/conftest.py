"""Hypothesis profiles: "ci" (small, deterministic; the default) and "long" (make test-slow)."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=60, derandomize=True, deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
