"""The take-a-number kiosk window (touch screen, VI/EN, ESC/POS ticket)."""
