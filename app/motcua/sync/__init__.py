"""Talking to other machines: the centre server's queue and lease clients (and, later, the upstream exchange)."""
