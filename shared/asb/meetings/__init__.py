"""Multi-agency problem solving: meetings about a case, their attendees, minutes and actions."""
