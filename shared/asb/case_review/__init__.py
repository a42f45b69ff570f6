"""The ASB Case Review: each step a pure function, its due dates as tasks, the year's statistics."""
