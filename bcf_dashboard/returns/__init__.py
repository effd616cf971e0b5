"""The monthly returns file (docs/formats.md section 1) and the finance officers' pages built on it.

``parsing`` turns CSV or XLSX bytes into rows of text (refusing XLSX bombs first);
``checking`` checks rows against the database; ``services.import_returns`` and
``services.apply_table`` apply them all or nothing with their audit trail; ``exporting``
writes the same format back. ``entry`` (the monthly form), ``uploads`` (preview and
confirm), ``template`` (the pre-filled workbook) and ``views``/``urls`` are the pages.
Nothing is imported here so that loading the package never touches the models early.
"""
