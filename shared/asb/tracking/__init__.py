"""Tracking: a reporter's private link, their own part of the case, diary entries and files."""
