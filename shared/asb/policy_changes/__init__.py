"""Who changed the landlord's policy, when: each change (an AppConfig deployment's start, end or
rollback, the deploy command's, make dev's watcher's) kept as an audit entry of its own."""
