"""Word processing and presentation files: .docx, .pptx (OOXML), .odt/.odp (ODF) and legacy .doc/.ppt (OLE)."""
