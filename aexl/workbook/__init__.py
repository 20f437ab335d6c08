"""Workbook I/O: reading workbenches, editing them in place, writing reports, the template."""
