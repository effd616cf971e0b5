"""Demo data from the seed documents: published figures as published, the rest illustrative.

``load_demo`` (the management command) calls :func:`loader.load_demo`. The figures live
in one module per document (``bromley``, ``triborough``, ``southwark``) as plain data;
``build`` turns them into rows and ``loader`` writes those rows idempotently.
"""

# Every demo login shares this password. It is a constant, not a setting, so demo
# instructions stay true on any machine; load_demo refuses to run in production.
DEMO_PASSWORD = "better-care-demo"

# Notes on illustrative values start with this, so the UI and tests can tell them apart.
ILLUSTRATIVE = "Illustrative:"
