"""Adapters over DynamoDB: the only part of the package that talks to the table."""
