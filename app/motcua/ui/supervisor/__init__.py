"""The supervisor's window (``motcua run --mode supervisor``): today live, charts, overdue dossiers, reports."""
