"""The rating pad beside a counter (``motcua run --mode rating``)."""
