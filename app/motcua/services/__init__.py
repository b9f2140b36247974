"""Use cases that the UI, the CLI and the server call: receive a dossier, move it, print it, find it."""
