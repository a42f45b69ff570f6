"""Data protection: subject access, rectification and erasure, retention's erasure."""
