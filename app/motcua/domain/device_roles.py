"""The kinds of device a centre gives an access token to (a device account), and which must name their counter."""

from __future__ import annotations

ROLES = ("kiosk", "counter", "display", "admin", "rating")
BOUND_ROLES = ("rating",)  # a rating pad belongs to one counter: its token must name it
