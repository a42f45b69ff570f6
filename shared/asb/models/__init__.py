"""Pydantic models of the domain: what comes in, what is stored, what is raised. No boto3 here."""
