from tests.support.world import world  # noqa: F401  (the same small world of areas and schemes)
