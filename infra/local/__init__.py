"""The local runtime: template.yaml's resources on moto, its functions behind local triggers."""
