"""The small world of areas and schemes the returns tests share (tests/support/world.py)."""

from tests.support.world import world  # noqa: F401  (fixture)
