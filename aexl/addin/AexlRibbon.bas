Attribute VB_Name = "AexlRibbon"
' Ribbon callbacks of the AE workbench tab (customUI/customUI14.xml of the add-in).
' Each button calls the handler of the same name in aexl.excel.ribbon through
' xlwings' RunPython (module "xlwings" of this add-in). The handler reads the
' active workbook, calls the aexl core and writes the result back; user errors
' come back as a message box, never as a traceback.
' Keep this file ASCII: the VBA project stores source in the system code page.
Option Explicit

Sub AexlNewJobNumber(control As IRibbonControl)
    RunPython "import xlwings as xw, aexl.excel.ribbon as r; r.new_job_number(xw.Book.caller())"
End Sub

Sub AexlNewRevision(control As IRibbonControl)
    RunPython "import xlwings as xw, aexl.excel.ribbon as r; r.new_revision(xw.Book.caller())"
End Sub

Sub AexlValidateWorkbook(control As IRibbonControl)
    RunPython "import xlwings as xw, aexl.excel.ribbon as r; r.validate_workbook(xw.Book.caller())"
End Sub

Sub AexlPrintJobSheet(control As IRibbonControl)
    RunPython "import xlwings as xw, aexl.excel.ribbon as r; r.print_job_sheet(xw.Book.caller())"
End Sub

Sub AexlCheckCopy(control As IRibbonControl)
    RunPython "import xlwings as xw, aexl.excel.ribbon as r; r.check_copy(xw.Book.caller())"
End Sub

Sub AexlWeeklyReport(control As IRibbonControl)
    RunPython "import xlwings as xw, aexl.excel.ribbon as r; r.weekly_report(xw.Book.caller())"
End Sub

Sub AexlPlacementList(control As IRibbonControl)
    RunPython "import xlwings as xw, aexl.excel.ribbon as r; r.placement_list(xw.Book.caller())"
End Sub

Sub AexlEffectCharts(control As IRibbonControl)
    RunPython "import xlwings as xw, aexl.excel.ribbon as r; r.effect_charts(xw.Book.caller())"
End Sub

Sub AexlMonthlySummary(control As IRibbonControl)
    RunPython "import xlwings as xw, aexl.excel.ribbon as r; r.monthly_summary(xw.Book.caller())"
End Sub
