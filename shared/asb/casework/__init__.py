"""Casework: what staff do to a case (each write one CaseChange) and what they see of it."""
