"""The queue: its use cases on the centre database, the one interface the windows code against, the board, the
kiosk's take-a-number path and its printer, and the in-process change feed."""
