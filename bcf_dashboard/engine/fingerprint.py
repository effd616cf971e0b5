"""A fingerprint of a quarter's figures: the area-year's summary document as the quarter's end left it.

Sign-off puts it, signed, on the page an approver reads, and approving compares it with the figures
as they stand: an approval records exactly what the approver saw, or nothing.
"""

import hashlib
import json

from bcf_dashboard.engine.document import summary_document
from bcf_dashboard.engine.summary import area_year_summary


def quarter_fingerprint(area, year: int, quarter: int) -> str:
    """SHA-256 of the docs/formats.md section 2 document through the quarter's last month."""
    document = summary_document(area_year_summary(area, year, through=3 * quarter))
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()
