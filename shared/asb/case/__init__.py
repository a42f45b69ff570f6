"""The case and what a command returns: its records, the change, tasks and due-work kinds, events."""
