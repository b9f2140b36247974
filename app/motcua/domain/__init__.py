"""Entities and rules of the one-stop counter. Pure Python: no Qt, no SQL, no devices."""
