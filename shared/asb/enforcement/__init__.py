"""Enforcement: the tools and powers used on a case, from an interview to a court order."""
