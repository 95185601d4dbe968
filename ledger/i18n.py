"""Every string a user reads — screens, charts, messages, command line — in Chinese and English, in one table."""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

_DATE_FORMS_ZH = "日期单元格、2019-05-31、2019/5/31、2019.5.31、2019年5月31日、20190531、5月31日、5.31、5月底，或“长期”"
_DATE_FORMS_EN = ("a date cell, 2019-05-31, 2019/5/31, 2019.5.31, 2019年5月31日, 20190531, 5月31日, 5.31, 5月底, "
                  "or 长期 (ongoing)")

STRINGS: dict[str, tuple[str, str]] = {
    # --- reading: files -------------------------------------------------------------------------------------
    "file.empty": ("文件是空的。", "The file is empty."),
    "file.macro": ("这是含宏的工作簿（.xlsm 或含 VBA 代码）。为安全起见不接收，请另存为 .xlsx 后上传。",
                   "This is a macro-enabled workbook (.xlsm or with VBA code). For safety it is not accepted: "
                   "save it as .xlsx and upload that."),
    "file.encrypted": ("文件设置了打开密码，无法读取。请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后重新上传。",
                       "The file is password-protected and cannot be read. Remove the password in Excel/WPS "
                       "(File → Info → Protect Workbook) and upload it again."),
    "file.corrupt": ("文件已损坏或不是有效的表格文件，无法打开。请用 Excel/WPS 打开确认后另存再上传。",
                     "The file is damaged or not a valid spreadsheet and cannot be opened. Open it in Excel/WPS, "
                     "save it again and upload that."),
    "file.type": ("不支持的文件类型。可接收：{accepted}。", "Unsupported file type. Accepted: {accepted}."),
    "file.too_many_sheets": ("工作簿有 {count} 个工作表，超过上限 {limit} 个。",
                             "The workbook has {count} sheets, more than the limit of {limit}."),
    "file.too_many_rows": ("工作表“{sheet}”有 {count} 行，超过上限 {limit} 行。",
                           "Sheet “{sheet}” has {count} rows, more than the limit of {limit}."),
    "file.too_large": ("文件大小 {size} MB，超过上限 {limit} MB。", "The file is {size} MB, over the {limit} MB limit."),
    "file.encoding": ("CSV 文件的编码无法识别。请另存为 UTF-8 或 GBK 编码的 CSV。",
                      "The CSV file's encoding is not recognised. Save it as CSV in UTF-8 or GBK."),
    # --- reading: the ledger --------------------------------------------------------------------------------
    "ledger.no_tasks_sheet": (
        "找不到整改任务表：没有名为“整改台账/整改任务/台账/任务”的工作表，也没有哪张表的表头包含“整改措施”。"
        "现有工作表：{value}。",
        "No tasks sheet found: no sheet is named 整改台账/整改任务/台账/任务/tasks, and no sheet has a "
        "“整改措施/measure” header. Sheets found: {value}."),
    "ledger.no_report_date": ("表中没有写明填报日期（数据截止日期），按上传当天 {value} 计算。",
                              "The ledger states no report date; the day of upload, {value}, is used."),
    "ledger.no_phases": ("没有找到整改阶段表（阶段/整改步骤），时间轴将无法显示阶段。",
                         "No phases sheet (阶段/整改步骤/phases) was found; the timeline cannot show phases."),
    "ledger.phases_from_previous": ("本次上传没有阶段表，沿用上一版本的整改阶段。",
                                    "This upload has no phases sheet; the previous version's phases are kept."),
    # --- reading: phases ------------------------------------------------------------------------------------
    "phase.bad_date": ("日期“{value}”无法识别。可写作：" + _DATE_FORMS_ZH + "；时间段可写作“4月25日至5月10日”。",
                       "The date “{value}” cannot be read. Write " + _DATE_FORMS_EN +
                       "; a period as 4月25日至5月10日 or 2019.4.25-5.10."),
    "phase.no_dates": ("阶段“{value}”没有起止日期。", "Phase “{value}” has no start and end dates."),
    "phase.end_before_start": ("阶段的结束日期早于开始日期（{value}）。", "The phase ends before it starts ({value})."),
    "phase.duplicate": ("阶段“{value}”重复出现。", "Phase “{value}” appears twice."),
    # --- reading: tasks, errors -----------------------------------------------------------------------------
    "task.bad_date": ("日期“{value}”无法识别。可写作：" + _DATE_FORMS_ZH + "。",
                      "The date “{value}” cannot be read. Write " + _DATE_FORMS_EN + "."),
    "task.bad_status": ("状态“{value}”无法识别。可用：{accepted}。", "Unknown status “{value}”. Use: {accepted}."),
    "task.bad_progress": ("完成进度“{value}”不是数字。请填 0–100 的数字或“80%”。",
                          "Progress “{value}” is not a number. Write a number 0–100 or “80%”."),
    "task.progress_range": ("完成进度“{value}”超出 0–100 的范围。", "Progress “{value}” is outside 0–100."),
    "task.unknown_phase": ("阶段“{value}”不存在。现有阶段：{phases}。",
                           "Phase “{value}” does not exist. Phases: {phases}."),
    "task.no_measure": ("这一行没有填写整改措施。", "This row has no measure text."),
    "task.no_responsible": ("没有填写任何责任领导、责任部门或责任人（具体到事、细化到人）。",
                            "No responsible leader, department or person is named."),
    "task.due_before_start": ("完成时限 {value} 早于开始日期 {start}。",
                              "The due date {value} is before the start date {start}."),
    "task.duplicate_id": ("序号“{value}”与第 {first_row} 行重复。", "Id “{value}” repeats row {first_row}."),
    # --- reading: tasks, warnings ---------------------------------------------------------------------------
    "sheet.no_id_column": ("没有序号列：与往周台账比对时将按整改措施的文字匹配。",
                           "No id column: week-to-week comparison falls back to the measure text."),
    "task.done_no_evidence": ("已完成但没有佐证材料。", "Marked done without evidence."),
    "task.done_no_completion_date": ("已完成但没有填写完成日期。", "Marked done without a completion date."),
    "sheet.no_evidence_column": ("没有佐证材料列和完成日期列：已完成的措施无从核实。",
                                 "No evidence or completion-date column: done measures cannot be verified."),
    "task.full_progress_not_done": ("进度为 100% 但状态不是已完成。", "Progress is 100% but the status is not done."),
    "task.done_progress_low": ("状态为已完成，但进度只有 {value}。", "Marked done but progress is only {value}."),
    "task.no_due": ("没有完成时限，这项措施不会被计入超期。", "No due date: this measure can never count as overdue."),
    "sheet.no_due_column": ("没有完成时限列：无法判断超期。", "No due-date column: nothing can be judged overdue."),
    "task.outside_phases": ("日期 {value} 不在任何整改阶段内。", "The date {value} lies outside every phase."),
    # --- words shared by screens, charts and the command line ------------------------------------------------
    "status.done": ("已完成", "Done"),
    "status.in_progress": ("进行中", "In progress"),
    "status.not_started": ("未开始", "Not started"),
    "status.ongoing": ("长期坚持", "Ongoing"),
    "phase_state.done": ("已结束", "Finished"),
    "phase_state.current": ("进行中", "Current"),
    "phase_state.upcoming": ("未开始", "Upcoming"),
    "severity.mild": ("1–7天", "1–7 days"),
    "severity.serious": ("8–30天", "8–30 days"),
    "severity.severe": ("30天以上", "over 30 days"),
    "field.id": ("序号", "Id"),
    "field.category": ("问题类别", "Category"),
    "field.measure": ("整改措施", "Measure"),
    "field.phase": ("所属阶段", "Phase"),
    "field.leader": ("责任领导", "Leader"),
    "field.department": ("责任部门", "Department"),
    "field.owner": ("责任人", "Owner"),
    "field.start": ("开始日期", "Start"),
    "field.due": ("完成时限", "Due"),
    "field.status": ("完成情况", "Status"),
    "field.progress": ("完成进度", "Progress"),
    "field.completed_on": ("完成日期", "Completed on"),
    "field.evidence": ("佐证材料", "Evidence"),
    "field.notes": ("备注", "Notes"),
    "field.days_overdue": ("超期天数", "Days overdue"),
    "field.days_left": ("剩余天数", "Days left"),
    "field.severity": ("超期程度", "Severity"),
    # --- command line ---------------------------------------------------------------------------------------
    "cli.row": ("第{row}行", "row {row}"),
    "cli.as_of": ("统计日期：{as_of}", "As of {as_of}"),
    "cli.tasks": ("整改措施 {tasks} 项，完成率 {pct}", "{tasks} measures, {pct} complete"),
    "cli.categories": ("分类完成情况：", "By category:"),
    "cli.overdue_count": ("超期 {n} 项", "{n} overdue"),
    "cli.phases": ("整改阶段：", "Phases:"),
    "cli.overdue": ("超期未完成 {n} 项：", "{n} overdue:"),
    "cli.due_soon": ("7天内到期 {n} 项：", "{n} due within 7 days:"),
    "cli.days_late": ("超期{n}天", "{n} days late"),
    # --- report columns -------------------------------------------------------------------------------------
    "report.severity": ("类型", "Type"),
    "report.error": ("错误", "Error"),
    "report.warning": ("提示", "Warning"),
    "report.sheet": ("工作表", "Sheet"),
    "report.row": ("行号", "Row"),
    "report.column": ("列", "Column"),
    "report.value": ("填写内容", "Value"),
    "report.message": ("说明", "Message"),
    "report.summary": ("{errors} 个错误，{warnings} 个提示。", "{errors} errors, {warnings} warnings."),
    "report.clean": ("没有发现问题。", "No problems found."),
}


def translate(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The string for `key` in `lang`, with {params} filled in; an unknown key shows itself, never raises."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text
