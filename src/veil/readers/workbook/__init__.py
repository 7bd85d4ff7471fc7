"""The other spreadsheet formats (.xls, .xlsb, .ods), read into one grid shape with hidden sheets, rows and columns."""
