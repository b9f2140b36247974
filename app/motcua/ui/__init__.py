"""The PySide6 desktop UI: one main window per mode. The only package that imports Qt."""
