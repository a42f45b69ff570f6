"""What the HTTP handlers share: reading request bodies and rendering public pages."""
