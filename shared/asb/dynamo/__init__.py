"""The adapters' kit: the single table's keys and codec, the case and report items, sealing, the
DueWork reader; the queues' senders."""
