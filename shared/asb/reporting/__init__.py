"""Reporting: the year's figures for the regulator, surveys and equality monitoring."""
