"""The landlord's homes and tenancies: its housing management system's export (or an API
adapter) checked, merged into the register and switched in whole (docs/homes-import.md)."""
