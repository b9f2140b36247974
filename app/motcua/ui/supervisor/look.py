"""The supervisor window's look: the counter's style sheet plus the figure tiles, in the same few colours."""

from __future__ import annotations

from motcua.ui.style import COUNTER_STYLE

# The colours of ui/style.py (and of the message bar's tones), named for the charts, which take them as values.
NAVY = "#0b3d6e"  # titles
BLUE = "#0b5cad"  # the primary action colour: the main series of a chart
GREEN = "#1b5e20"  # "ok"
LIGHT_GREEN = "#7cb342"
AMBER = "#8a5a00"  # "warn"
YELLOW = "#ffd54f"
RED = "#b71c1c"  # "error"
GREY = "#333333"
LIGHT_GREY = "#e3e3e3"

TONES = {"ok": GREEN, "warn": AMBER, "error": RED, "": NAVY}

SUPERVISOR_STYLE = (
    COUNTER_STYLE
    + f"""
QFrame#tile {{ background: #f7f9fc; border: 1px solid {LIGHT_GREY}; border-radius: 6px; }}
QLabel#tileCaption {{ color: #444; font-size: 12pt; }}
QLabel#tileValue {{ font-size: 18pt; font-weight: bold; color: {NAVY}; }}
QLabel#tileValue[tone="ok"] {{ color: {GREEN}; }}
QLabel#tileValue[tone="warn"] {{ color: {AMBER}; }}
QLabel#tileValue[tone="error"] {{ color: {RED}; }}
QLabel#tileDetail {{ color: #555; font-size: 11pt; }}
QTableWidget {{ gridline-color: {LIGHT_GREY}; font-size: 12pt; }}
QHeaderView::section {{ padding: 4px 6px; font-weight: bold; color: {NAVY}; font-size: 12pt; }}
QGroupBox {{ font-weight: bold; color: {NAVY}; }}
"""
)
