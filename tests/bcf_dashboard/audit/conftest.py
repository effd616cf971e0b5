from tests.bcf_dashboard.returns.conftest import world  # noqa: F401  (the same small world of areas and schemes)
