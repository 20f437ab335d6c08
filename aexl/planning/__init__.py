"""Planning ahead: the AE's due list, the per-job schedule (工作进度表) and captured sign-offs.

Issue 14. Pure functions over a workbench's registers (an
``aexl.workbook.read.Workbench`` or a ``{sheet: DataFrame}`` dict) and a
``aexl.workcal.WorkCalendar``; no xlwings here.

- ``due``: ``due_items`` and ``month_items`` (what falls due, and when);
- ``dueout``: the due list as a terminal table, JSON rows, .xlsx and .ics;
- ``schedule``: milestones laid on working days (``plan_schedule``), the 进度
  sheet's column spec (``PROGRESS``); its check is ``aexl.validate.schedule``;
- ``gantt``: the schedule printed as a bar chart by day (.xlsx);
- ``signoff``: ``next_signoff``, ``signoff_row``, ``capture_signoff`` and
  ``aexl.validate.integrity.signoff_integrity_findings``.
"""
