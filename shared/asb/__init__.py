"""The ASB case service's domain package, deployed as a Lambda layer and importable as ``asb``."""
