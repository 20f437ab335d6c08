"""The rulebook's file discipline: folder tree, naming, monthly clean-up, archive."""
