"""Excel 2007+ workbooks (.xlsx, .xlsm): the package, its sheets, styles, caches and embedded parts."""
