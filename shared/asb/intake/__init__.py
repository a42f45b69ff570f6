"""Intake: a report becomes a case, exactly once; what the reporter is told."""
