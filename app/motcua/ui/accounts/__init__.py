"""Signing in at the counter, the idle lock, and the administrator's account list."""
