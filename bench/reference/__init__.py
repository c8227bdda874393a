"""The reference peer: the brief's FastAPI + Polars backend, which Quiver is measured against."""
