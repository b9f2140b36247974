"""MotCua Desk: the one-stop reception counter of a Public Administration Service Centre."""

__version__ = "0.1.0"
