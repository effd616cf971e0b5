"""Write an area's stored values for a financial year as a monthly returns file.

The rows and the file are the engine's (``engine.returns_file``), shared with the read API so that
both write the same bytes; this module keeps the returns feature's names for them.
"""

from bcf_dashboard.core.formats import plain_number
from bcf_dashboard.engine.returns_file import MONEY_MEASURES, export_rows, write_csv, write_xlsx

__all__ = ["MONEY_MEASURES", "export_rows", "plain_number", "write_csv", "write_xlsx"]
