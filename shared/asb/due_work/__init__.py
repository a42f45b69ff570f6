"""Due work: the sweep of what falls due and each officer's daily digest."""
