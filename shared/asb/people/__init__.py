"""Parties and persons: what an officer does with the people of a case (asb.case.parties)."""
