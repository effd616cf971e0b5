"""The monthly returns file (FORMATS.md section 1): reading, validating, applying, exporting.

``parsing`` turns CSV or XLSX bytes into rows of text, ``services.import_returns``
checks and applies them all or nothing, ``exporting`` writes the same format back.
Nothing is imported here so that loading the package never touches the models early.
"""
