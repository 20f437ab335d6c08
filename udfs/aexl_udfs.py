"""Worksheet functions (xlwings UDFs) for AE工作台. Filled in by the Excel-integration work."""
