"""Data files read as tables: Parquet."""
