"""The read API for other tools (docs/formats.md section 3): Power BI, Excel, pandas, R.

``models.ApiToken`` and ``services`` make, check and revoke tokens (stored hashed); ``views`` is the
signed-in page where a person manages their own; ``authentication`` reads ``Authorization: Bearer``;
``endpoints`` are the read-only views under ``/api/v1/`` (Django REST framework, their OpenAPI 3
document by drf-spectacular: docs/decisions/0012-read-api-library.md).
"""
