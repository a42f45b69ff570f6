"""The kernel every capability stands on: the clock, the domain's errors, validation messages."""
