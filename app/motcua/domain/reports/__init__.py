"""What a supervisor reads: the facts a report is computed from, and the computations (pure Python).

``facts`` holds plain records the store layer fills (dossiers with their history, tickets, ratings, counters);
``daily`` the day's summary; ``period`` the handling of dossiers over a month, quarter, year or any range;
``service_index`` the parts of the Decision 766 index the centre's own data can measure.
"""
