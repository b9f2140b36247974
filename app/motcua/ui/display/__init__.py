"""The waiting-room display board (TV): counters, last calls, waiting counts, spoken calls."""
