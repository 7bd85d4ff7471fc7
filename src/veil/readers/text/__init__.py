"""Text formats: plain text and RTF, delimited tables (CSV/TSV), HTML and JSON records."""
