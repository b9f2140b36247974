"""Printed documents: the standard A4 forms (Mẫu 01–06) as PDF and the 80 mm thermal receipt as an image.

Nothing here talks to a device: the PDF bytes go to the system print dialog or the archive, the receipt image
goes to :mod:`motcua.devices.printer`.
"""
