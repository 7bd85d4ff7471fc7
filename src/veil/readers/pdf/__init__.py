"""PDF: page text with what hides it (redaction boxes, white text, off-page text), the catalog's hidden places,
tables and OCR of scanned pages."""
