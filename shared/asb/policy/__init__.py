"""The landlord's policy: the lists and numbers the decisions rest on, and the calendars they are
counted in."""
