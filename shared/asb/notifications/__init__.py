"""Keeping people informed: which messages an event calls for, in words they understand,
through a channel that is safe for them."""
