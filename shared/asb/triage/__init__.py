"""Triage: each report assessed, categorised, targeted and assigned; the ASB Case Review threshold
counted."""
