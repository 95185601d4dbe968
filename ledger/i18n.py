"""Every string a user reads — screens, charts, messages, command line — in Chinese and English, in one table.

A text names its parameters as in str.format: "{n}", "{limit}". A count's English words follow it with a plural
choice, "{n:singular|plural}": "{n} {n:error|errors}" reads "1 error", "2 errors" (the choice may hold the number
again, "{n:{n} measure is|{n} measures are}"). Numbers a rule depends on — thresholds, limits, bands — are
parameters too, given from their constants, never written into a text.

A key that is not in the table, or a parameter a text needs and was not given, is a bug: with
LEDGER_I18N_STRICT=1 (tests/conftest.py sets it for every test and every process the tests start) `translate`
raises TranslationError. Anywhere else it is logged once, and the user reads the text with "…" for what is
missing: never a traceback, never a raw "{name}".
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from numbers import Real
from string import Formatter

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
STRICT_ENV = "LEDGER_I18N_STRICT"
MISSING = "…"  # what a user reads in place of a parameter the code failed to give (outside strict mode)

log = logging.getLogger(__name__)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")

_DATE_FORMS_ZH = "日期单元格、2019-05-31、2019/5/31、2019.5.31、2019年5月31日、20190531、5月31日、5.31、5月底，或“长期”"
_DATE_FORMS_EN = (
    "a date cell, 2019-05-31, 2019/5/31, 2019.5.31, 2019年5月31日, 20190531, 5月31日, 5.31, 5月底, or 长期 (ongoing)"
)

STRINGS: dict[str, tuple[str, str]] = {
    # --- reading: files -------------------------------------------------------------------------------------
    "file.empty": ("文件是空的。", "The file is empty."),
    "file.macro": (
        "这是含宏的工作簿（.xlsm 或含 VBA 代码）。为安全起见不接收，请另存为 .xlsx 后上传。",
        "This is a macro-enabled workbook (.xlsm or with VBA code). For safety it is not accepted: "
        "save it as .xlsx and upload that.",
    ),
    "file.encrypted": (
        "文件设置了打开密码，无法读取。请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后重新上传。",
        "The file is password-protected and cannot be read. Remove the password in Excel/WPS "
        "(File → Info → Protect Workbook) and upload it again.",
    ),
    "file.corrupt": (
        "文件已损坏或不是有效的表格文件，无法打开。请用 Excel/WPS 打开确认后另存再上传。",
        "The file is damaged or not a valid spreadsheet and cannot be opened. Open it in Excel/WPS, "
        "save it again and upload that.",
    ),
    "file.type": ("不支持的文件类型。可接收：{accepted}。", "Unsupported file type. Accepted: {accepted}."),
    "file.too_many_sheets": (
        "工作簿有 {count} 个工作表，超过上限 {limit} 个。",
        "The workbook has {count} {count:sheet|sheets}, more than the limit of {limit}.",
    ),
    "file.too_many_rows": (
        "工作表“{where}”的内容延伸到第 {count} 行（单元格 {cell}），超过上限 {limit} 行。如果下方是误输入的字符或格式，"
        "请删除多余的行后另存再上传。",
        "Sheet “{where}” reaches row {count} (cell {cell}), beyond the limit of {limit} {limit:row|rows}. If "
        "something was typed or formatted far below the table by mistake, delete those rows, save and upload again.",
    ),
    "file.too_many_columns": (
        "工作表“{where}”的内容延伸到第 {count} 列（单元格 {cell}），超过上限 {limit} 列。如果右侧是误输入的字符或格式，"
        "请删除多余的列后另存再上传。",
        "Sheet “{where}” reaches column {count} (cell {cell}), beyond the limit of {limit} {limit:column|columns}. "
        "If something was typed or formatted far to the right by mistake, delete those columns, save and upload "
        "again.",
    ),
    "file.too_many_lines": (
        "文件有 {count} 行文字，超过上限（{limit} 行台账）。",
        "The file has {count} {count:line|lines} of text, more than the limit allows "
        "({limit} ledger {limit:row|rows}).",
    ),
    "file.too_many_cells": (
        "表格共有 {count} 个单元格，超过上限 {limit} 个。请删除多余的行、列或工作表后再上传。",
        "The workbook spans {count} {count:cell|cells}, more than the limit of {limit}. Delete unneeded rows, "
        "columns or sheets and upload again.",
    ),
    "file.too_many_merged": (
        "表格中有 {count} 处合并单元格，超过上限 {limit} 处。",
        "The workbook has {count} merged {count:range|ranges}, more than the limit of {limit}.",
    ),
    "file.too_many_parts": (
        "文件内部由 {count} 个部分组成，超过上限 {limit} 个，不像是正常的表格文件。",
        "The file is made of {count} internal {count:part|parts}, more than the limit of {limit}; it does not "
        "look like an ordinary spreadsheet.",
    ),
    "file.unpacked_too_large": (
        "文件太大或已损坏，无法读取：其中“{part}”解压后有 {size} MB（压缩比 {ratio} 倍），超过上限 {limit} MB"
        "（或 {max_ratio} 倍）。",
        "The file is too large or damaged to read: its part “{part}” unpacks to {size} MB (a ratio of {ratio}), "
        "beyond the limit of {limit} MB (or a ratio of {max_ratio}).",
    ),
    "file.line_too_long": (
        "文件中有一行长达 {size} MB，超过上限 {limit} MB，不像是正常的 CSV 表格。",
        "One line of the file is {size} MB long, beyond the {limit} MB limit; it does not look "
        "like an ordinary CSV table.",
    ),
    "file.unsafe_xml": (
        "文件中含有 XML 实体声明（DOCTYPE/ENTITY），正常的表格文件不会有。为安全起见不予读取。",
        "The file declares XML entities (DOCTYPE/ENTITY), which ordinary spreadsheets never do. For "
        "safety it is not read.",
    ),
    "file.unreadable_value": (
        "工作表“{where}”第 {row} 行有一个无法读取的数值（例如设为日期格式、却存着无穷大或超出范围的数）。"
        "请检查这一行的日期列，改正后另存再上传。",
        "Row {row} of sheet “{where}” holds a value that cannot be read (for example a date-formatted cell holding "
        "infinity or a number out of range). Check that row's date cells, fix them, save and upload again.",
    ),
    "file.too_much_memory": (
        "文件太大或已损坏，无法读取：读取它需要超过 {limit} MB 内存。请删除多余的行、列和工作表，"
        "或拆分成几个文件后再上传。",
        "The file is too large or damaged to read: reading it needs more than {limit} MB of "
        "memory. Delete unneeded rows, columns and sheets, or split it, and upload again.",
    ),
    "file.too_slow": (
        "文件太大或已损坏，无法读取：读取超过 {limit} 秒仍未完成。请删除多余的内容或拆分后再上传。",
        "The file is too large or damaged to read: reading it took more than {limit} {limit:second|seconds}. Remove "
        "what is not needed, or split it, and upload again.",
    ),
    "file.reader_unavailable": (
        "服务器暂时无法读取文件（读取进程无法启动），请稍后再试；如持续出现，请联系管理员。",
        "The server cannot read files right now (no reading process could be started). Try "
        "again in a moment; if this persists, contact the administrator.",
    ),
    "file.crashed": (
        "文件已损坏，读取程序无法处理。请用 Excel/WPS 打开确认后另存再上传。",
        "The file is damaged: the reader could not handle it. Open it in Excel/WPS, save it again and upload that.",
    ),
    "file.needs_libreoffice": (
        "这是旧版 Word/WPS 文档（.doc/.wps），服务器上没有安装 LibreOffice，无法转换。请在 Word 或 WPS "
        "中另存为 .docx 后再上传。",
        "This is a legacy Word/WPS document (.doc/.wps) and LibreOffice is not installed on the "
        "server to convert it. Save it as .docx in Word or WPS and upload that.",
    ),
    "file.tables_too_deep": (
        "文档中的表格嵌套超过 {limit} 层，无法读取。",
        "The document nests tables more than {limit} deep; it cannot be read.",
    ),
    "plan.unplaced": (
        "第 {row} 行起的文字没有归入任何类别、措施或阶段：{value}",
        "The text from line {row} was not placed in any category, measure or phase: {value}",
    ),
    "plan.no_measures": (
        "没有找到编号的整改措施（如“1.”“（1）”“①”开头的条目）。",
        "No numbered measures were found (items beginning 1. (1) or ①).",
    ),
    "plan.text_too_long": (
        "粘贴的文字有 {size} MB，超过上限 {limit} MB。",
        "The pasted text is {size} MB, over the {limit} MB limit.",
    ),
    "plan.year_missing": (
        "文档没有写明年份（如“201x年5月6日”）。请指明整改方案的年份。",
        "The document does not state the year (as in 201x年5月6日). Give the plan's year.",
    ),
    "file.name_too_long": (
        "文件名有 {count} 个字符，超过上限 {limit} 个。请改短文件名后再上传。",
        "The file name has {count} {count:character|characters}, more than the limit of {limit}. Shorten it and "
        "upload again.",
    ),
    "file.too_large": (
        "文件大小 {size} MiB，超过上限 {limit} MiB。",
        "The file is {size} MiB, over the {limit} MiB limit.",
    ),
    "file.encoding": (
        "CSV 文件的编码无法识别。请另存为 UTF-8 或 GBK 编码的 CSV。",
        "The CSV file's encoding is not recognised. Save it as CSV in UTF-8 or GBK.",
    ),
    # --- reading: the ledger --------------------------------------------------------------------------------
    "ledger.no_tasks_sheet": (
        "找不到整改任务表：没有名为“整改台账/整改任务/台账/任务”的工作表，也没有哪张表的表头包含“整改措施”。"
        "现有工作表：{value}。",
        "No tasks sheet found: no sheet is named 整改台账/整改任务/台账/任务/tasks, and no sheet has a "
        "“整改措施/measure” header. Sheets found: {value}.",
    ),
    "ledger.no_tasks": ("整改任务表在表头下面没有任何整改措施。", "The tasks sheet has no measures below its header."),
    "ledger.no_report_date": (
        "表中没有写明填报日期（数据截止日期），按上传当天 {value} 计算。",
        "The ledger states no report date; the day of upload, {value}, is used.",
    ),
    "ledger.no_phases": (
        "没有找到整改阶段表（阶段/整改步骤），时间轴将无法显示阶段。",
        "No phases sheet (阶段/整改步骤/phases) was found; the timeline cannot show phases.",
    ),
    "ledger.sheets_read": (
        "读取了 {value} 这几张整改任务表，合为一份台账。",
        "Read these tasks sheets as one ledger: {value}.",
    ),
    "sheet.unread_status_column": (
        "“{column}”列看起来是完成情况，已作为附加信息保留。如它就是完成情况，请在“确认各列”中改选，或把表头改为“完成情况”。",
        "Column “{column}” looks like a status; it is kept as an extra field. If it is the status, choose so in the "
        "column step, or name it 完成情况.",
    ),
    "sheet.unread_yes_no_column": (
        "“{column}”列看起来是“是否完成”，已作为附加信息保留。如它就是是否完成，请在“确认各列”中改选，或把表头改为“是否完成”。",
        "Column “{column}” looks like a yes/no done column; it is kept as an extra field. If it is one, choose so "
        "in the column step, or name it 是否完成.",
    ),
    "sheet.unread_date_column": (
        "“{column}”列是日期，已作为附加信息保留。如它是完成时限，请在“确认各列”中改选，或把表头改为“完成时限”。",
        "Column “{column}” holds dates; it is kept as an extra field. If it is the deadline, choose so in the "
        "column step, or name it 完成时限 (due).",
    ),
    "ledger.task_sheet_not_read": (
        "工作表“{value}”看起来也是整改任务表，但没有读取：只读取了“{read}”。如需读取，请把各表的措施合并到一张表中。",
        "Sheet “{value}” also looks like a tasks sheet but was not read: only “{read}” "
        "was. To have its measures read, put them into one sheet.",
    ),
    "ledger.phases_from_previous": (
        "本次上传没有阶段表，沿用该整改方案的整改阶段。",
        "This upload has no phases sheet; the plan's phases are used.",
    ),
    "ledger.different_plan": (
        "这份台账只有 {share} 的整改措施能在方案“{value}”的最新一版中找到，看起来是另一个整改方案。"
        "请确认发布到的方案是否正确。",
        "Only {share} of this ledger's measures are in the newest version of the plan “{value}”: "
        "it looks like a different plan. Check that it is published into the right plan.",
    ),
    # --- reading: phases ------------------------------------------------------------------------------------
    "phase.bad_date": (
        "日期“{value}”无法识别。可写作：" + _DATE_FORMS_ZH + "；时间段可写作“4月25日至5月10日”。",
        "The date “{value}” cannot be read. Write "
        + _DATE_FORMS_EN
        + "; a period as 4月25日至5月10日 or 2019.4.25-5.10.",
    ),
    "phase.no_dates": ("阶段“{value}”没有起止日期。", "Phase “{value}” has no start and end dates."),
    "phase.end_before_start": ("阶段的结束日期早于开始日期（{value}）。", "The phase ends before it starts ({value})."),
    "phase.duplicate": ("阶段“{value}”重复出现。", "Phase “{value}” appears twice."),
    # --- reading: tasks, errors -----------------------------------------------------------------------------
    "task.bad_date": (
        "日期“{value}”无法识别。可写作：" + _DATE_FORMS_ZH + "。",
        "The date “{value}” cannot be read. Write " + _DATE_FORMS_EN + ".",
    ),
    "task.bad_status": ("状态“{value}”无法识别。可用：{accepted}。", "Unknown status “{value}”. Use: {accepted}."),
    "task.bad_progress": (
        "完成进度“{value}”不是数字。请填 0–100 的数字或“80%”。",
        "Progress “{value}” is not a number. Write a number 0–100 or “80%”.",
    ),
    "task.progress_range": ("完成进度“{value}”超出 0–100 的范围。", "Progress “{value}” is outside 0–100."),
    "task.unknown_phase": (
        "阶段“{value}”不存在。现有阶段：{phases}。",
        "Phase “{value}” does not exist. Phases: {phases}.",
    ),
    "task.formula_error": (
        "单元格中的公式出错（{value}），无法读取数值。请改正公式或直接填写数值。",
        "The cell's formula shows an error ({value}), so its value is unknown. Fix the formula or type the value.",
    ),
    "task.too_long": (
        "内容有 {count} 个字符，超过单元格上限 {limit} 个字符（Excel 单元格的上限）。请精简后再上传。",
        "The cell holds {count} {count:character|characters}, more than the limit of {limit} (Excel's own limit for a "
        "cell). Shorten it and upload again.",
    ),
    "task.bad_yes_no": (
        "“{value}”无法识别。“是否完成”请填：是、否（或 √、×）。",
        "“{value}” cannot be read. Write 是 or 否 (or √, ×) for done or not.",
    ),
    "task.bad_closure": (
        "销号情况“{value}”无法识别。请填：已销号、申请销号、未销号。",
        "Closure “{value}” cannot be read. Write 已销号 (closed), 申请销号 (requested) or 未销号 (open).",
    ),
    "task.done_disagrees": (
        "完成情况、是否完成和销号情况说法不一致，请核对。",
        "The status, the done column (“是否完成”) and the closure column (“销号情况”) disagree; check them.",
    ),
    "task.no_measure": ("这一行没有填写整改措施。", "This row has no measure text."),
    "task.no_responsible": (
        "没有填写任何责任领导、责任部门或责任人（具体到事、细化到人）。",
        "No responsible leader, department or person is named.",
    ),
    "task.due_before_start": (
        "完成时限 {value} 早于开始日期 {start}。",
        "The due date {value} is before the start date {start}.",
    ),
    "task.duplicate_id": ("序号“{value}”与第 {first_row} 行重复。", "Id “{value}” repeats row {first_row}."),
    "task.other_unit": (
        "这一行属于“{value}”，不是本次发布的单位“{unit}”。",
        "This row belongs to “{value}”, not to “{unit}”, the unit being published.",
    ),
    "task.blank_unit": (
        "这一行没有填写所属单位，而这份台账要按所属单位分别发布。请填写单位，或指定发布到的单位。",
        "This row names no unit, while the ledger is published one unit at a time. Fill in its unit, or say which "
        "unit the ledger is for.",
    ),
    # --- reading: columns by meaning ------------------------------------------------------------------------
    "column.unsure": (
        "“{column}”列按内容推测为“{field_label}”，但没有把握。请在上传页的“确认各列”中确认或改选，"
        '或在命令行用 --columns "{column}={field}" 指明。',
        "Column “{column}” looks like {field_label}, but not surely. Confirm or change it in the Upload page's "
        'column step, or on the command line with --columns "{column}={field}".',
    ),
    "column.conflict": (
        "“{column}”列和“{value}”列都像“{field_label}”：按更吻合的“{value}”读取，“{column}”列作为附加信息完整保留。",
        "Columns “{column}” and “{value}” both look like {field_label}: “{value}” fits better and is read as it; "
        "“{column}” is kept whole as an extra field.",
    ),
    "column.no_measure": (
        "找不到整改措施列。现有各列：{value}。请在上传页的“确认各列”中指明哪一列是整改措施，"
        '或在命令行用 --columns "表头=measure" 指明。',
        "No column holds the measures. The columns are: {value}. Say which one does in the Upload page's column "
        'step, or on the command line with --columns "HEADER=measure".',
    ),
    "column.no_responsible": (
        "找不到责任领导、责任部门或责任人列（具体到事、细化到人）。请在上传页的“确认各列”中指明，或用 --columns 指明。",
        "No column names a responsible leader, department or person. Say which one does in the Upload page's "
        "column step, or with --columns.",
    ),
    "sheet.id_from_column": (
        "“{value}”有重复或空白，改用各行都不相同的“{column}”区分各项措施。",
        "“{value}” repeats or has blanks; “{column}”, different in every row, tells the measures apart instead.",
    ),
    "column.why.exact": ("表头即“{header}”", "the header is “{header}”"),
    "column.why.contains": ("表头含“{word}”", "the header contains “{word}”"),
    "column.why.cells_long_text": ("各格是文字叙述", "the cells are text"),
    "column.why.cells_dates": ("各格是日期", "the cells are dates"),
    "column.why.cells_status": ("各格是完成情况用语", "the cells are status words"),
    "column.why.cells_yes_no": ("各格是“是/否”", "the cells are yes/no"),
    "column.why.cells_closure": ("各格是销号用语", "the cells are closure words"),
    "column.why.cells_percent": ("各格是进度数字或百分比", "the cells are progress figures or percentages"),
    "column.why.cells_ids": ("各格是互不相同的短编号", "the cells are short codes, each used once"),
    "column.why.cells_names": ("各格是简短的名称", "the cells are short names"),
    "column.why.cells_blank": ("下面还没有内容可以核对", "there are no cells to check it against"),
    "column.why.cells_disagree": ("但下面的内容不太像", "but the cells do not look like it"),
    "column.why.cells_only": (
        "表头不对应任何字段，按内容推测（{what}）",
        "the header names no field; judged by its cells ({what})",
    ),
    "column.why.confirmed": ("已由人工确认", "confirmed by a person"),
    "column.why.taken": ("“{winner}”列更像“{field_label}”", "column “{winner}” fits {field_label} better"),
    "column.why.no_field": (
        "表头不对应任何字段，作为附加信息保留",
        "the header names no field; kept as an extra field",
    ),
    "column.why.blank": ("空列", "an empty column"),
    "column.why.unique_id": (
        "“{instead}”有重复或空白，本列各行都不相同",
        "“{instead}” repeats or has blanks; this column differs in every row",
    ),
    "column.why.id_replaced": ("改用“{by}”区分各项措施", "“{by}” tells the measures apart instead"),
    "column.extra": ("附加信息（保留原列）", "Extra field (kept as written)"),
    "column.ignore": ("不读取", "Ignore"),
    "field.done_flag": ("是否完成", "Done?"),
    "field.closure": ("销号情况", "Closure"),
    # --- reading: tasks, warnings ---------------------------------------------------------------------------
    "sheet.no_id_column": (
        "没有序号列：与往周台账比对时将按整改措施的文字匹配。",
        "No id column: week-to-week comparison falls back to the measure text.",
    ),
    "task.done_no_evidence": ("已完成但没有佐证材料。", "Marked done without evidence."),
    "task.done_no_completion_date": ("已完成但没有填写完成日期。", "Marked done without a completion date."),
    "sheet.no_evidence_column": (
        "没有佐证材料列和完成日期列：已完成的措施无从核实。",
        "No evidence or completion-date column: done measures cannot be verified.",
    ),
    "task.full_progress_not_done": ("进度为 100% 但状态不是已完成。", "Progress is 100% but the status is not done."),
    "task.done_progress_low": ("状态为已完成，但进度只有 {value}。", "Marked done but progress is only {value}."),
    "task.ambiguous_date": (
        "数字 {value} 按 {read} 读取；如果指的是 {other}，请把单元格写成文本“{value}0”或日期。",
        "The number {value} is read as {read}; if {other} is meant, write the cell as text or as a date.",
    ),
    "task.no_due": ("没有完成时限，这项措施不会被计入超期。", "No due date: this measure can never count as overdue."),
    "sheet.no_due_column": ("没有完成时限列：无法判断超期。", "No due-date column: nothing can be judged overdue."),
    "task.outside_phases": ("日期 {value} 不在任何整改阶段内。", "The date {value} lies outside every phase."),
    # --- words shared by screens, charts and the command line ------------------------------------------------
    "status.done": ("已完成", "Done"),
    "status.in_progress": ("进行中", "In progress"),
    "status.not_started": ("未开始", "Not started"),
    "status.ongoing": ("长期坚持", "Ongoing"),
    "light.red": ("■ 红灯·超期", "■ Red · overdue"),
    "light.yellow": ("▲ 黄灯·预警", "▲ Yellow · at risk"),
    "light.green": ("● 绿灯·正常", "● Green · on track"),
    "light.claimed": ("✓? 已完成·待审核", "✓? Done · awaiting review"),
    "light.done": ("✓ 已销号", "✓ Done · verified"),
    "light.ongoing": ("◎ 长期坚持", "◎ Ongoing"),
    "field.light": ("灯号", "Light"),
    "field.at": ("时间", "When"),
    "field.who": ("操作人", "Who"),
    "field.action": ("操作", "Action"),
    "field.target": ("对象", "What"),
    "field.address": ("来源地址", "Client address"),
    "field.unit": ("单位", "Unit"),
    "overview.lights": ("红黄绿灯", "Lights"),
    "overview.lights_help": (
        "红灯：超期未完成；黄灯：{days}天内到期，或进度落后于所在阶段的时间进度超过 {points} 个百分点；"
        "绿灯：正常推进。",
        "Red: overdue. Yellow: due within {days} {days:day|days}, or its progress trails its phase's time gone "
        "by more than {points} {points:point|points}. Green: on track.",
    ),
    "status.done_not_closed": ("已完成待销号", "Done, not yet closed"),
    "due.immediate": ("立行立改（{day}）", "At once ({day})"),
    "field.problem": ("具体问题", "Problem"),
    "field.goal": ("整改目标", "Goal"),
    "phase_state.done": ("已结束", "Finished"),
    "phase_state.current": ("进行中", "Current"),
    "phase_state.upcoming": ("未开始", "Upcoming"),
    "severity.mild": ("{low}–{high}天", "{low}–{high} days"),
    "severity.serious": ("{low}–{high}天", "{low}–{high} days"),
    "severity.severe": ("{over}天以上", "over {over} {over:day|days}"),
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
    "field.old_due": ("原完成时限", "Old due"),
    "field.new_due": ("现完成时限", "New due"),
    "field.old_progress": ("原进度", "Old progress"),
    "field.new_progress": ("现进度", "New progress"),
    "field.old_status": ("原状态", "Old status"),
    "field.new_status": ("现状态", "New status"),
    "field.times": ("延期次数", "Times postponed"),
    # --- versions, history, changes -------------------------------------------------------------------------
    "version.label": ("第{n}版 · {day}", "v{n} · {day}"),
    "sidebar.version": ("台账版本", "Ledger version"),
    "sidebar.latest": ("最新：{label}", "Latest: {label}"),
    "store.unavailable": (
        "暂时无法连接数据库，请稍后刷新；如持续出现，请联系管理员检查数据库设置（LEDGER_DB_URL）。",
        "The database cannot be reached right now. Refresh in a moment; if this persists, ask the "
        "administrator to check the database setting (LEDGER_DB_URL).",
    ),
    "store.full": (
        "数据库所在的磁盘已满，无法写入。本次没有保存任何内容；请管理员清理磁盘后再试。",
        "The disk holding the database is full, so nothing can be written. Nothing was saved; ask the "
        "administrator to free some space and try again.",
    ),
    "store.io": (
        "数据库读写出错（磁盘故障或文件大小受限）。本次没有保存任何内容；请联系管理员。",
        "The database could not be written (a disk fault or a file size limit). Nothing was saved; "
        "contact the administrator.",
    ),
    "store.read_only": (
        "数据库是只读的：可以查看，不能发布。请管理员检查数据库文件的权限或数据库账号的权限。",
        "The database is read-only: it can be viewed but not published to. Ask the administrator "
        "to check the database file's permissions or the database account's rights.",
    ),
    "store.corrupt": (
        "数据库文件已损坏，无法读取。请管理员从备份恢复数据库（LEDGER_DB_URL 所指的数据库）。",
        "The database file is damaged and cannot be read. Ask the administrator to restore it from a "
        "backup (the database LEDGER_DB_URL points to).",
    ),
    "store.busy": (
        "数据库正忙（另一次发布还没有完成），请稍后再试。本次没有任何改动。",
        "The database is busy (another publish has not finished). Try again in a moment; nothing was changed.",
    ),
    "store.too_long": (
        "有一项文字超出了数据库允许的长度，没有保存任何内容。",
        "A text is longer than the database allows; nothing was saved.",
    ),
    "store.newer_schema": (
        "这个数据库由更新版本的看板创建，当前版本无法使用。请升级看板程序。",
        "This database was made by a newer release of the dashboard and cannot be used by this "
        "one. Upgrade the dashboard.",
    ),
    "store.failed": (
        "数据库出错，操作没有完成，也没有改动任何数据。详情已记入服务器日志。",
        "The database failed: the operation did not complete and no data was changed. The details "
        "are in the server log.",
    ),
    "store.plan_exists": (
        "已经有名为“{name}”的整改方案，请换一个名称。",
        "A plan named “{name}” exists already; choose another name.",
    ),
    "store.no_version": (
        "这个版本已不存在（可能整改方案已被删除），请刷新页面。",
        "That version no longer exists (the plan may have been deleted); reload the page.",
    ),
    "store.withdraw_reason": ("请写明撤回的原因。", "Give the reason for withdrawing it."),
    "store.already_withdrawn": ("这个版本已经撤回。", "That version is withdrawn already."),
    "store.not_withdrawn": ("这个版本没有撤回，无需恢复。", "That version is not withdrawn."),
    "store.restore_duplicate": (
        "同样的文件已重新发布为另一个版本（编号 {name}），不能再恢复这一版。",
        "The same files were published again (version id {name}); this one cannot be restored.",
    ),
    "store.plan_name_empty": ("整改方案的名称不能为空。", "The plan needs a name."),
    "store.plan_name_long": (
        "整改方案的名称太长（最多 {limit} 个字）。",
        "The plan's name is too long ({limit} {limit:character|characters} at most).",
    ),
    "sidebar.plan": ("整改方案", "Plan"),
    "store.empty": (
        "还没有发布任何台账。请在这里上传本周的整改台账；发布后其他页面随即可用。",
        "No ledger has been published yet. Upload this week's ledger here; the other pages open once it is published.",
    ),
    "overview.since": ("与上一版（{previous}）相比", "Since the previous version ({previous})"),
    "overview.since_none": (
        "这是第一版台账，还没有可比较的上一版。",
        "This is the first version: nothing to compare yet.",
    ),
    "changes.newly_overdue": ("新增超期", "Newly overdue"),
    "changes.postponed": ("完成时限推迟", "Deadline postponed"),
    "changes.regressed": ("进度倒退", "Progress went backwards"),
    "changes.done_without_evidence": ("已完成但无佐证", "Done without evidence"),
    "changes.newly_done": ("新完成", "Newly done"),
    "changes.status_changed": ("状态变化", "Status changed"),
    "changes.added": ("新增措施", "Measures added"),
    "changes.removed": ("删除的措施", "Measures removed"),
    "changes.by_text": (
        "有一版台账没有序号列，措施按“整改措施”文字逐条比对；文字改动过的措施会显示为一删一增。",
        "A version has no id column, so measures are matched by their text; a measure whose text was "
        "edited shows as removed and added.",
    ),
    "changes.nothing": ("两版之间没有变化。", "Nothing changed between the two versions."),
    "history.title": ("历史版本", "History"),
    "history.caption": (
        "共 {n} 个版本；每次发布的原始文件都完整保存。",
        "{n} {n:version|versions}; every published file is kept as uploaded.",
    ),
    "history.trend_by_category": ("分别显示各类问题的完成率", "Show each category's completion"),
    "history.versions": ("各版本", "Versions"),
    "history.version": ("版本", "Version"),
    "history.report_date": ("填报日期", "Report date"),
    "history.uploaded_at": ("上传时间", "Uploaded at"),
    "history.uploaded_by": ("上传人", "Uploaded by"),
    "history.files": ("文件", "Files"),
    "history.tasks": ("措施数", "Measures"),
    "history.completion": ("完成率", "Completion"),
    "history.overdue": ("超期", "Overdue"),
    "history.note": ("说明", "Note"),
    "history.download": ("下载某一版的原始文件", "Download the original files of a version"),
    "history.compare": ("两个版本之间的变化", "Differences between two versions"),
    "history.compare_open": ("选择两个版本对比", "Pick two versions to compare"),
    "history.newer": ("较新的版本", "Newer version"),
    "history.older": ("与之比较的较早版本", "Compared with the older version"),
    "history.no_older": (
        "这是最早的版本，没有更早的版本可比较。",
        "This is the first version: there is nothing older.",
    ),
    "history.postponements": ("完成时限推迟情况（全部历史）", "Postponed deadlines across all versions"),
    "history.no_postponements": ("没有任何措施推迟过完成时限。", "No deadline was ever postponed."),
    "history.postponed_lists": (
        "{n} 项措施推迟过完成时限，涉及 {leaders} 位责任领导",
        "{n} {n:measure|measures} postponed, under {leaders} {leaders:leader|leaders}",
    ),
    "history.times": ("推迟次数", "Times postponed"),
    "history.measures_postponed": ("涉及措施数", "Measures"),
    # --- upload ---------------------------------------------------------------------------------------------
    "upload.title": ("上传本周台账", "Upload this week's ledger"),
    "upload.box_button": ("选择文件", "Choose file"),
    "upload.box_limit": ("每个文件不超过 {mib} MB", "At most {mib} MB a file"),
    "upload.files": (
        "选择台账文件：一个工作簿，或“任务表 + 阶段表”两个文件",
        "Choose the ledger: one workbook, or a tasks file and a phases file",
    ),
    "upload.help": (
        "支持 .xlsx、.xls、.ods、.csv（UTF-8 或 GBK）。上传后先检查，确认无误再发布。",
        "Accepted: .xlsx, .xls, .ods, .csv (UTF-8 or GBK). The file is checked first; publish when it is right.",
    ),
    "upload.template": ("下载空白台账模板", "Download the blank ledger template"),
    "upload.template_file": ("整改台账模板.xlsx", "ledger-template.xlsx"),
    "upload.too_many_files": (
        "选择了 {n} 个文件。请只上传一个工作簿，或一个任务表加一个阶段表。",
        "{n} {n:file|files} chosen. Upload one workbook, or one tasks file and one phases file.",
    ),
    "upload.verdict_errors": (
        "发现 {errors} 个错误（另有 {warnings} 个提示）。请在表格中改正后重新上传；错误改正前不能发布。",
        "{errors} {errors:error|errors} (and {warnings} {warnings:warning|warnings}). {errors:Fix it|Fix them} in "
        "the spreadsheet and upload it again; it cannot be published until then.",
    ),
    "upload.verdict_ok": (
        "检查通过：没有错误，{warnings} 个提示。",
        "Checked: no errors, {warnings} {warnings:warning|warnings}.",
    ),
    "upload.report_date": ("填报日期（数据截止日期）", "Report date (data as of)"),
    "upload.report_date_found": (
        "从表中读出的日期；如有误可在此修改。",
        "Read from the ledger; correct it here if needed.",
    ),
    "upload.report_date_missing": (
        "表中没有写填报日期，默认为今天；请确认。",
        "The ledger states no report date; today is assumed. Please confirm.",
    ),
    "upload.phases": ("整改阶段", "Phases"),
    "upload.against": ("与当前版本（{label}）相比，发布后将发生的变化", "What publishing changes against {label}"),
    "upload.preview": ("预览读取的整改措施", "Preview of the measures as read"),
    "upload.by": ("上传人", "Uploaded by"),
    "upload.by_placeholder": ("如：党政办公室 办公室主任", "e.g. Party office, office director"),
    "upload.anonymous": ("（未填写）", "(not given)"),
    "upload.note": ("版本说明（可选）", "Note (optional)"),
    "upload.publish": ("发布为新版本", "Publish as a new version"),
    "upload.published": (
        "已发布为“{plan}”的第 {n} 版（填报日期 {day}），所有页面已更新。",
        "Published as version {n} of “{plan}” (report date {day}); every page shows it now.",
    ),
    "upload.duplicate": (
        "这份文件已经发布过（“{plan}”第 {n} 版，填报日期 {day}），没有重复保存。",
        "This file was already published (version {n} of “{plan}”, report date {day}); nothing new was stored.",
    ),
    "upload.target": ("发布到整改方案", "Publish into the plan"),
    "upload.new_plan": ("新建整改方案", "A new plan"),
    "upload.plan_name": ("新方案的名称", "Name of the new plan"),
    "upload.plan_name_help": ("默认取台账的标题，可修改。", "Taken from the ledger's title; change it if you like."),
    "upload.failed": ("未发布：{reason}", "Not published: {reason}"),
    "upload.rejected": ("台账有错误，未发布。", "The ledger has errors and was not published."),
    "access.local_only": (
        "尚未设置编辑密码：现在只有本机浏览器可以上传。要让其他电脑上的编辑上传，请设置 LEDGER_EDITOR_PASSWORD"
        "（或 .streamlit/secrets.toml 中的 editor_password）后重启。",
        "No editor password is set: only a browser on this machine can upload now. To let editors "
        "on other computers upload, set LEDGER_EDITOR_PASSWORD (or editor_password in "
        ".streamlit/secrets.toml) and restart.",
    ),
    "access.viewer": (
        "上传台账需要编辑权限。请输入编辑密码。",
        "Uploading needs editor rights. Enter the editor password.",
    ),
    "access.password": ("编辑密码", "Editor password"),
    "access.login": ("登录", "Log in"),
    "access.logout": ("退出编辑", "Log out"),
    "access.refused": ("密码不正确。", "Wrong password."),
    "access.throttled": (
        "密码错误次数过多，请 {seconds} 秒后再试。",
        "Too many wrong passwords: try again in {seconds} s.",
    ),
    "access.no_password": (
        "尚未设置编辑密码，因此只能在运行本系统的电脑上（本机浏览器）上传。要允许其他电脑上传，请设置环境变量 "
        "LEDGER_EDITOR_PASSWORD，或在 .streamlit/secrets.toml 中写入 editor_password，然后重启。",
        "No editor password is set, so only a browser on the machine running the dashboard may "
        "upload. To allow others, set the LEDGER_EDITOR_PASSWORD environment variable or "
        "editor_password in .streamlit/secrets.toml, then restart.",
    ),
    # --- command line ---------------------------------------------------------------------------------------
    "cli.row": ("第{row}行", "row {row}"),
    "cli.as_of": ("统计日期：{as_of}", "As of {as_of}"),
    "cli.tasks": (
        "整改措施 {tasks} 项，上报完成率 {pct}，核验完成率 {verified}",
        "{tasks} {tasks:measure|measures}, {pct} complete as reported, {verified} verified",
    ),
    "cli.categories": ("分类完成情况：", "By category:"),
    "cli.overdue_count": ("超期 {n} 项", "{n} overdue"),
    "cli.phases": ("整改阶段：", "Phases:"),
    "cli.overdue": ("超期未完成 {n} 项：", "{n} overdue:"),
    "cli.due_soon": ("{days}天内到期 {n} 项：", "{n} due within {days} {days:day|days}:"),
    "cli.days_late": ("超期{n}天", "{n} {n:day|days} late"),
    "cli.store_problem": ("数据库 {url}：{reason}", "Database {url}: {reason}"),
    "cli.not_published": ("台账有错误，未发布，数据库没有任何改动。", "The ledger has errors: nothing was published."),
    "cli.published": (
        "已发布为方案“{plan}”的第 {version} 版（填报日期 {day}）。",
        "Published as version {version} of the plan “{plan}” (report date {day}).",
    ),
    "cli.columns_form": (
        "--columns 的“{part}”应写作“表头=字段”。",
        "--columns: “{part}” should read HEADER=field.",
    ),
    "cli.columns_field": (
        "--columns 中的“{field}”不是字段。可用：{fields}。",
        "--columns: “{field}” is not a field. Use one of: {fields}.",
    ),
    "cli.columns_twice": (
        "--columns 把“{first}”和“{second}”都指定为 {field}：一个字段只能对应一列。",
        "--columns gives both “{first}” and “{second}” as {field}: a field is one column.",
    ),
    "cli.columns_no_header": (
        "--columns 指定的表头在任务表中找不到：{missing}。现有表头：{headers}。",
        "--columns names headers the tasks sheet does not have: {missing}. Its headers: {headers}.",
    ),
    "cli.columns_head": ("任务表共 {shape} 列，各列的读法：", "How each of the tasks sheet's {shape} columns is read:"),
    "cli.group_by_unknown": (
        "--group-by “{name}”不是台账中可分组的附加信息列。可用：{names}。",
        "--group-by “{name}” is not an extra field of text in this ledger. Available: {names}.",
    ),
    "cli.groups": ("按“{name}”分组：", "By “{name}”:"),
    "cli.amounts": (
        "{name}：合计 {total}，已完成 {done}，未完成 {not_done}",
        "{name}: total {total}, done {done}, not done {not_done}",
    ),
    "cli.plan_created": ("新建整改方案“{plan}”。", "Created the plan “{plan}”."),
    "cli.password": ("密码：", "Password: "),
    "cli.password_again": ("再输入一次：", "Again: "),
    "cli.password_mismatch": ("两次输入的密码不一致，没有改动。", "The two passwords differ; nothing changed."),
    "cli.user_line": (
        "{name}  {role_word}  {state}  单位：{unit_names}",
        "{name}  {role_word}  {state}  units: {unit_names}",
    ),
    "cli.user_active": ("启用", "active"),
    "cli.user_disabled": ("已停用", "disabled"),
    "cli.no_users": (
        "还没有任何账号。用 python -m ledger users add 名称 --role admin 创建第一个管理员。",
        "No account yet. Create the first admin with python -m ledger users add NAME --role admin.",
    ),
    "cli.user_name_needed": ("请给出账号名称。", "Give the account's name."),
    "cli.user_added": ("已创建账号“{name}”（{role}）。", "Created the account “{name}” ({role})."),
    "cli.withdrawn": (
        "已撤回第{number}版（填报日期 {day}，编号 {version}）；原始文件仍保存，可由管理员恢复。",
        "Withdrew version {number} (reported {day}, id {version}); its files are kept and an admin can restore it.",
    ),
    "cli.restoren": (
        "已恢复第{number}版（填报日期 {day}，编号 {version}）。",
        "Restored version {number} (reported {day}, id {version}).",
    ),
    "cli.user_disabled_msg": (
        "已停用账号“{name}”，其已登录的会话全部退出。",
        "Disabled “{name}”; their open sessions are ended.",
    ),
    "cli.user_enabled_msg": ("已重新启用账号“{name}”。", "Enabled “{name}” again."),
    "cli.rollup_line": (
        "{unit}  填报 {day}  措施 {tasks} 项  完成率 {pct}  超期 {overdue} 项（最长 {longest_overdue_days} 天）  {flag}",
        "{unit}  reported {day}  {tasks} {tasks:measure|measures}  completion {pct}  overdue {overdue} (longest "
        "{longest_overdue_days} {longest_overdue_days:day|days})  {flag}",
    ),
    "cli.no_units": (
        "这个整改方案还没有单位。发布时用 --unit 指明单位。",
        "This plan has no unit yet; publish with --unit.",
    ),
    "cli.no_such_unit": ("没有名为“{name}”的单位。", "There is no unit named “{name}”."),
    "rollup.missing": ("本周未报送", "no report this week"),
    "rollup.title": ("各单位汇总", "Units"),
    "rollup.no_units": (
        "这个方案没有分单位报送。用 python -m ledger publish --unit 单位名称 或在“上传台账”页选择单位来报送。",
        "This plan is not reported by units. Publish with python -m ledger publish --unit NAME, or "
        "choose a unit on the Upload page.",
    ),
    "rollup.caption": (
        "{n} 个单位各自最新一版台账，截至 {as_of}。点击一个单位，所有页面都只显示这个单位。",
        "The newest ledger of each of {n} {n:unit|units}, as of {as_of}. Click a unit to see every page for that "
        "unit alone.",
    ),
    "rollup.missing_units": (
        "{n} 个单位本周还没有报送台账：{names}。没有报送本身就是一个预警。",
        "{n} {n:unit has|units have} not reported this week: {names}. A missing report is itself a warning.",
    ),
    "rollup.flag": ("提醒", "Flag"),
    "rollup.report_date": ("最近报送", "Last report"),
    "rollup.never": ("从未报送", "never"),
    "rollup.longest": ("最长超期（天）", "Longest overdue (days)"),
    "rollup.lights": ("灯号", "Lights"),
    "rollup.phases": ("各阶段", "Phases"),
    "rollup.phase": ("{name} {state} {pct}", "{name} {state} {pct}"),
    "rollup.sorted": (
        "按需要关注的程度排列（未报送、超期多、超期久、完成率低的在前），不是排名。",
        "Sorted by what needs attention (no report, most and longest overdue, lowest completion "
        "first); this is not a ranking.",
    ),
    "rollup.show_all": ("显示全部单位的汇总", "Show all units together"),
    "cli.password_set": (
        "已为“{name}”设置新密码，其已登录的会话全部退出。",
        "Set a new password for “{name}”; their open sessions are ended.",
    ),
    # --- accounts, roles, audit ------------------------------------------------------------------------------
    "role.admin": ("管理员", "admin"),
    "role.editor": ("编辑", "editor"),
    "role.viewer": ("查看", "viewer"),
    "role.inspector": ("督导组", "inspector"),
    "account.password_short": ("密码至少 {n} 个字符。", "A password needs at least {n} {n:character|characters}."),
    "account.password_long": ("密码最多 {n} 个字符。", "A password has at most {n} {n:character|characters}."),
    "account.password_common": (
        "这个密码太常见，很容易被猜到，请换一个。",
        "That password is too common to be safe; choose another.",
    ),
    "account.password_name": ("密码不能包含账号名称。", "The password must not contain the account's name."),
    "account.name_empty": ("名称不能为空。", "The name cannot be empty."),
    "account.last_admin": (
        "“{name}”是最后一位在用的管理员：不能停用或改为其他角色。请先为另一位同事设管理员。",
        "“{name}” is the last active admin: the account cannot be disabled or given another role. Make a colleague "
        "an admin first.",
    ),
    "account.reauth": (
        "请输入您自己的密码以确认这项操作；密码不正确，未做任何更改。",
        "Enter your own password to confirm this; the password was not right, and nothing was changed.",
    ),
    "account.name_hidden": (
        "名称中不能有看不见的字符或改变文字方向的字符（零宽空格、方向控制符等）。",
        "A name may not hold invisible or direction-changing characters (zero-width spaces, direction controls).",
    ),
    "account.name_long": (
        "名称太长（最多 {n} 个字符）。",
        "The name is too long ({n} {n:character|characters} at most).",
    ),
    "account.name_taken": ("已经有名为“{name}”的账号。", "An account named “{name}” exists already."),
    "account.role": ("没有“{role}”这种角色。", "There is no role “{role}”."),
    "account.no_user": ("没有名为“{name}”的账号。", "There is no account named “{name}”."),
    "account.forbidden": ("您的账号没有这项权限。", "Your account may not do that."),
    "audit.title": ("操作记录", "Audit trail"),
    "audit.since": ("起始日期", "From"),
    "audit.until": ("截止日期", "Until"),
    "audit.actions": ("操作类型", "Actions"),
    "audit.who": ("操作人（账号）", "Who (account)"),
    "audit.count": ("共 {n} 条（最多显示 {limit} 条）。", "{n} {n:record|records} ({limit:,} at most shown)."),
    "audit.export": ("下载操作记录（Excel）", "Download the trail (Excel)"),
    "versions.withdraw_title": ("撤回版本", "Withdraw a version"),
    "versions.withdraw_help": (
        "撤回的版本不再计入任何统计、趋势和比较；原始文件和撤回记录保留，管理员可以恢复。撤回后可以重新发布同一文件（例如更正填报日期）。",
        "A withdrawn version leaves every figure, trend and comparison; its files and the "
        "withdrawal are kept and an admin can restore it. The same file may then be "
        "published again (with a corrected report date, say).",
    ),
    "versions.reason": ("撤回原因（必填）", "Reason (required)"),
    "versions.withdraw": ("撤回这个版本", "Withdraw this version"),
    "versions.withdrawn": ("已撤回{label}。", "Withdrew {label}."),
    "versions.restored": ("已恢复{label}。", "Restored {label}."),
    "versions.withdrawn_title": ("已撤回的版本（{n}）", "Withdrawn versions ({n})"),
    "versions.withdrawn_line": (
        "{label}：{by} 于 {at} 撤回，原因：{reason}",
        "{label}: withdrawn by {by} at {at} — {reason}",
    ),
    "versions.restore": ("恢复", "Restore"),
    "users.own_password": ("您自己的密码（确认用）", "Your own password (to confirm)"),
    "users.own_password_help": (
        "更改角色、重设密码或停用账号前，请再输入一次您自己的密码。",
        "Changing a role, resetting a password or disabling an account asks for your own password again.",
    ),
    "users.title": ("账号管理", "Users"),
    "users.name": ("账号", "Account"),
    "users.role": ("角色", "Role"),
    "users.state": ("状态", "State"),
    "users.active": ("启用", "active"),
    "users.disabled": ("已停用", "disabled"),
    "users.units": ("负责单位", "Units"),
    "users.units_help": (
        "编辑只能为这些单位发布台账、撤回版本。",
        "An editor publishes and withdraws only for these units.",
    ),
    "users.add": ("新建账号", "Add an account"),
    "users.add_button": ("创建账号", "Create the account"),
    "users.password_again": ("再输入一次密码", "Password again"),
    "users.password_help": (
        "至少 {n} 个字符，不能是常见密码，不能包含账号名称。",
        "At least {n} {n:character|characters}, not a common password, not containing the account's name.",
    ),
    "users.edit": ("修改账号", "Change an account"),
    "users.save_role": ("保存角色和单位", "Save role and units"),
    "users.role_saved": ("已保存“{name}”的角色和单位。", "Saved the role and units of “{name}”."),
    "users.new_password": ("重置密码为", "Reset the password to"),
    "users.reset": ("重置密码", "Reset the password"),
    "users.disable": ("停用账号", "Disable the account"),
    "users.enable": ("重新启用账号", "Enable the account"),
    "users.not_yourself": ("不能停用自己正在使用的账号。", "You cannot disable the account you are using."),
    "users.units_title": ("单位", "Units"),
    "users.no_units": ("还没有单位。", "No unit yet."),
    "users.unit_name": ("单位名称", "Unit name"),
    "users.unit_plan": ("该单位参加的整改方案", "The plan it reports for"),
    "users.no_plan": ("（暂不指定）", "(none yet)"),
    "users.add_unit": ("新建单位", "Add the unit"),
    "users.unit_added": ("已新建单位“{name}”。", "Added the unit “{name}”."),
    "audit.login": ("登录", "log in"),
    "audit.login_failed": ("登录失败", "failed login"),
    "audit.login_throttled": ("登录过于频繁被拒", "login throttled"),
    "audit.logout": ("退出登录", "log out"),
    "audit.publish": ("发布台账", "publish"),
    "audit.withdraw": ("撤回版本", "withdraw"),
    "audit.restore": ("恢复版本", "restore"),
    "audit.plan_import": ("导入整改方案", "plan import"),
    "audit.requirement": ("记录会议要求", "meeting requirement"),
    "audit.download": ("下载", "download"),
    "audit.user_added": ("新建账号", "account added"),
    "audit.user_disabled": ("停用账号", "account disabled"),
    "audit.user_enabled": ("启用账号", "account enabled"),
    "audit.password_changed": ("修改密码", "password changed"),
    "audit.role_changed": ("修改角色或单位", "role or units changed"),
    "audit.unit_added": ("新建单位", "unit added"),
    "audit.plan_renamed": ("方案改名", "plan renamed"),
    "audit.plan_deleted": ("删除方案", "plan deleted"),
    "audit.evidence_added": ("上传佐证材料", "evidence added"),
    "audit.evidence_imported": ("批量导入佐证材料", "evidence imported"),
    "audit.closure_requested": ("申请销号", "closure requested"),
    "audit.closure_approved": ("审核通过（销号）", "closure approved"),
    "audit.closure_returned": ("审核退回", "closure returned"),
    "audit.backup_made": ("备份", "backup made"),
    "backup.no_store": ("找不到要备份的数据库：{url}", "There is no database to back up at {url}."),
    "backup.missing": ("找不到备份文件：{path}", "There is no backup file at {path}."),
    "backup.damaged": (
        "备份文件 {path} 已损坏或不完整（可能复制时被截断），无法恢复。数据库未作任何改动。",
        "The backup file {path} is damaged or incomplete (perhaps cut short while copied); nothing was restored.",
    ),
    "backup.no_manifest": (
        "{path} 不是本系统的备份文件（缺少清单 manifest.json）。数据库未作任何改动。",
        "{path} is not a backup of this dashboard (it has no manifest.json); nothing was restored.",
    ),
    "backup.schema": (
        "这份备份的数据结构是第 {found} 版，本程序是第 {expected} 版：请用制作备份的程序版本恢复。数据库未作任何改动。",
        "This backup has schema {found} and this program schema {expected}: restore it with the version of the "
        "program that made it. Nothing was restored.",
    ),
    "backup.entries": (
        "备份文件的内容与其清单不符（{n} 项对不上）。数据库未作任何改动。",
        "The backup's entries do not match its manifest ({n} {n:difference|differences}); nothing was restored.",
    ),
    "backup.checksum": (
        "备份文件中的 {entry} 与清单记录的校验值不符，文件已被改动或损坏。数据库未作任何改动。",
        "{entry} in the backup does not match the checksum its manifest records: the file was changed or damaged. "
        "Nothing was restored.",
    ),
    "backup.rows": (
        "备份文件中表 {table} 的行数与清单不符。数据库未作任何改动。",
        "The rows of table {table} in the backup do not match its manifest; nothing was restored.",
    ),
    "backup.not_empty": (
        "目标数据库 {url} 中已有数据：恢复只能写入空数据库，以免覆盖现有内容。请指定一个新的空数据库。",
        "There is data in the database at {url} already: a backup is restored only into an empty store, so that nothing is "
        "overwritten. Name a new, empty database.",
    ),
    "backup.made": (
        "已备份到 {path}（{mib} MB，{versions} 个版本，{files} 个文件）。",
        "Backed up to {path} ({mib} MB, {versions} {versions:version|versions}, {files} {files:file|files}).",
    ),
    "backup.restored": (
        "已从 {path} 恢复：{versions} 个版本，{users} 个账号，{audit} 条操作记录（备份于 {made_at}）。",
        "Restored from {path}: {versions} {versions:version|versions}, {users} {users:account|accounts}, {audit} "
        "audit {audit:record|records} (backed up at {made_at}).",
    ),
    "backup.never": (
        "尚未做过备份。请尽快备份：python -m ledger backup --out 文件名",
        "No backup has been made yet. Make one soon: python -m ledger backup --out FILE",
    ),
    "backup.last": ("最近一次备份：{at}（{days} 天前）。", "Last backup: {at} ({days} {days:day|days} ago)."),
    "backup.old": (
        "最近一次备份已超过 {max} 天，请尽快备份。",
        "The last backup is more than {max} {max:day|days} old: make one soon.",
    ),
    "backup.out_needed": ("请用 --out 指明备份文件，或用 --status 查看最近一次备份。", "Give --out FILE, or --status."),
    "audit.backup_restored": ("从备份恢复", "restored from a backup"),
    "audit.plan_closed": ("结束方案（归档后只读）", "plan closed (read-only)"),
    "store.plan_closed": (
        "整改方案“{name}”已结束归档，只能查看，不能再修改。",
        "The plan “{name}” is closed and archived: it can be read, not changed.",
    ),
    "archive.folder.plan": ("整改方案", "Plan"),
    "archive.folder.ledgers": ("整改台账", "Ledgers"),
    "archive.folder.briefs": ("周报与督办单", "Briefs and notices"),
    "archive.folder.evidence": ("佐证材料", "Evidence"),
    "archive.folder.requirements": ("会议要求", "Meeting requirements"),
    "archive.trail": ("操作记录.xlsx", "Audit trail.xlsx"),
    "archive.index": ("目录.xlsx", "Index.xlsx"),
    "archive.index_title": ("目录", "Index"),
    "archive.index_sheet": ("{plan} 归档（{at}）", "{plan}, archived {at}"),
    "archive.measures": ("整改措施与阶段.xlsx", "Measures and phases.xlsx"),
    "archive.requirements": ("会议要求及落实情况.xlsx", "Meeting requirements.xlsx"),
    "archive.requirements_sheet": ("会议要求", "Requirements"),
    "archive.version": ("第{n}版_{day}", "v{n}_{day}"),
    "archive.brief": ("周报", "brief"),
    "archive.notices": ("督办单", "notices"),
    "archive.made": (
        "已写入归档 {path}：{n} 个文件，{mib} MB。",
        "Archive written to {path}: {n} {n:file|files}, {mib} MB.",
    ),
    "archive.closed": ("已结束整改方案“{plan}”：此后只能查看。", "Closed the plan “{plan}”: read-only from now on."),
    "archive.download": ("下载整改资料归档（zip）", "Download the plan's archive (zip)"),
    "archive.help": (
        "按目录整理的全部资料：方案、各版台账原件、周报与督办单、佐证材料、会议要求、操作记录和目录。",
        "Everything in folders: the plan, each version's originals, briefs and notices, evidence, requirements, "
        "the audit trail and an index.",
    ),
    "archive.title": ("归档与结束", "Archive and close"),
    "archive.close": ("结束此方案", "Close this plan"),
    "archive.close_confirm": (
        "我已下载归档，确认结束此方案（此后不能再发布、记录或修改）",
        "I have the archive; close this plan (no more publishing, recording or changes)",
    ),
    "archive.closed_badge": ("已结束（{at}，{by}）：只能查看", "Closed ({at}, {by}): read-only"),
    "field.path": ("文件", "File"),
    "field.bytes": ("字节数", "Bytes"),
    "field.sha256": ("SHA-256", "SHA-256"),
    "field.requirement": ("会议要求", "Requirement"),
    "field.given_by": ("提出人", "Given by"),
    "field.meeting_date": ("会议日期", "Meeting date"),
    "field.required_by": ("应落实日期", "Required by"),
    "field.state": ("落实情况", "State"),
    "field.concerned": ("已完成/涉及措施", "Done/concerned"),
    "cli.which_plan": (
        "请用 --plan 指明整改方案。现有方案：{plans}（python -m ledger plans 列出全部）。",
        "Name the plan with --plan. Plans: {plans} (python -m ledger plans lists them).",
    ),
    "cli.no_such_plan": (
        "没有名为“{plan}”的整改方案（python -m ledger plans 列出全部）。",
        "There is no plan named “{plan}” (python -m ledger plans lists them).",
    ),
    "cli.plan_line": (
        "{mark}{name}  {unit}  {versions} 个版本  最新填报日期 {latest}",
        "{mark}{name}  {unit}  {versions} {versions:version|versions}  latest report {latest}",
    ),
    "cli.plan_head": ("{title}（{unit}，{day}）", "{title} ({unit}, {day})"),
    "cli.plan_category": ("  {name}：{n} 项措施", "  {name}: {n} {n:measure|measures}"),
    "cli.no_plans": ("数据库中还没有任何整改方案。", "The database holds no plan yet."),
    "plan.demo_mark": ("【示例】", "[demo] "),
    "cli.already_published": (
        "同样的文件已经发布过（方案“{plan}”第 {version} 版，填报日期 {day}），未重复保存。",
        "These exact files were published before (version {version} of “{plan}”, report "
        "date {day}); nothing new was stored.",
    ),
    "cli.history_line": (
        "第{number}版  填报日期 {report_date}  上传 {uploaded_at} {uploaded_by}  {names}  "
        "措施 {tasks} 项  完成率 {pct}  超期 {overdue}",
        "v{number}  reported {report_date}  uploaded {uploaded_at} by {uploaded_by}  {names}  "
        "{tasks} {tasks:measure|measures}  {pct} done  {overdue} overdue",
    ),
    "cli.no_versions": ("数据库中还没有任何版本。", "The database holds no version yet."),
    "cli.decision_line": (
        "[{id}] {date} {by}：{text}  （{target}，{required_by} 前）  {state_word}",
        "[{id}] {date} {by}: {text}  ({target}, by {required_by})  {state_word}",
    ),
    "cli.lights": ("红黄绿灯：", "Lights: "),
    "cli.no_such_version": ("没有第 {n} 版；现有版本：{numbers}。", "There is no version {n}; versions: {numbers}."),
    "cli.brief_written": ("已写出 {path}（{size} 字节）。", "Wrote {path} ({size} {size:byte|bytes})."),
    "cli.notices_written": ("督办单 {n} 份，写入 {path}。", "{n} supervision {n:notice|notices} written to {path}."),
    "cli.no_decisions": ("这个整改方案还没有会议要求。", "This plan has no meeting requirement yet."),
    # --- the meeting pack -----------------------------------------------------------------------------------
    "brief.default_plan": ("整改工作", "Rectification"),
    "brief.heading": ("整改工作周报", "Weekly rectification brief"),
    "brief.as_of": ("统计日期 {day}", "as of {day}"),
    "brief.version": ("第 {n} 版台账", "ledger version {n}"),
    "brief.filtered": ("仅含筛选范围 — {filters}", "Filtered — {filters}"),
    "brief.figures": ("主要数据", "Key figures"),
    "brief.lights": ("红黄绿灯", "Lights"),
    "brief.gantt": ("整改阶段", "Phases"),
    "brief.categories": ("各类问题整改完成情况", "Completion by category"),
    "brief.groups": ("按“{name}”分列的完成情况", "Completion by “{name}”"),
    "brief.other_categories": ("其他 {n} 类", "{n} other {n:category|categories}"),
    "brief.overdue": ("超期未完成（按责任领导）", "Overdue, by responsible leader"),
    "brief.no_overdue": ("没有超期未完成的措施。", "Nothing is overdue."),
    "brief.no_leader": ("（未填责任领导）", "(no leader given)"),
    "brief.more": ("另有 {n} 项超期未完成，见台账。", "and {n} more overdue {n:measure|measures} (see the ledger)."),
    "brief.changes": ("与上周相比", "Since last week"),
    "brief.no_previous": (
        "这是第一版台账，还没有可比较的上一版。",
        "This is the first version: nothing to compare with.",
    ),
    "brief.requirements": ("上次会议要求落实情况", "Last meeting's requirements"),
    "brief.no_requirements": ("没有需要跟踪的会议要求。", "No meeting requirement to follow up."),
    "brief.current_requirements": ("本次会议要求", "This meeting's requirements"),
    "brief.current_count": (
        "本次会议已记录要求 {n} 条，下周跟踪。",
        "{n} {n:requirement|requirements} recorded at this meeting, followed up next week.",
    ),
    "brief.days": ("超期天数", "Days late"),
    "brief.due": ("完成时限", "Deadline"),
    "brief.measure": ("措施 / 要求", "Measure / requirement"),
    "brief.leader": ("责任领导", "Leader"),
    "brief.target": ("针对", "Concerning"),
    "brief.by": ("提出", "Given by"),
    "brief.required_by": ("要求完成", "Required by"),
    "brief.state": ("落实情况", "State"),
    "brief.footer": ("整改进度看板生成 · 数据截至 {day}", "Made by the rectification dashboard · data as of {day}"),
    "brief.sheet_version": ("整改台账（含灯号）", "Ledger with lights"),
    "brief.sheet_figures": ("主要数据", "Key figures"),
    "notice.title": ("督 办 单", "Supervision notice"),
    "notice.number": ("督办〔{year}〕第{n}号", "Notice {year} No. {n}"),
    "notice.to": ("督办对象", "To"),
    "notice.intro_leader": (
        "{name}：截至 {day}，您负责的“{plan}”整改措施中，超期未完成 {late} 项、即将到期 {soon} "
        "项。请督促落实，并于反馈期限前书面反馈整改情况。",
        "{name}: as of {day}, of the measures of “{plan}” you are responsible for, {late} {late:is|are} "
        "overdue and {soon} due soon. Please see them done and report back in writing by the "
        "reply date.",
    ),
    "notice.intro_department": (
        "{name}：截至 {day}，本部门负责的“{plan}”整改措施中，超期未完成 {late} 项、即将到期 "
        "{soon} 项。请抓紧落实，并于反馈期限前书面反馈整改情况。",
        "{name}: as of {day}, of the measures of “{plan}” your department is responsible "
        "for, {late} {late:is|are} overdue and {soon} due soon. Please see them done and report back "
        "in writing by the reply date.",
    ),
    "notice.measure": ("整改措施", "Measure"),
    "notice.due": ("完成时限", "Deadline"),
    "notice.days": ("超期 / 剩余", "Late / left"),
    "notice.postponed": ("已推迟", "Postponed"),
    "notice.requirements": ("会议要求", "Meeting requirements"),
    "notice.days_late": ("超期 {n} 天", "{n} {n:day|days} late"),
    "notice.days_left": ("还剩 {n} 天", "{n} {n:day|days} left"),
    "notice.reply_by": ("反馈期限：{day}", "Reply by {day}"),
    "notice.feedback": ("整改情况反馈", "What has been done"),
    "notice.signature": ("责任人签字", "Signature"),
    "notice.date": ("日期", "Date"),
    "notice.issuer": ("督办单位（盖章）", "Issued by (seal)"),
    "notice.issued": ("签发日期：{day}", "Issued {day}"),
    "notice.none": ("没有超期或即将到期的措施，无需督办。", "Nothing overdue or due soon: no notice is needed."),
    # --- meeting requirements -------------------------------------------------------------------------------
    "requirement.state.met": ("✓ 已落实", "✓ Met"),
    "requirement.state.pending": ("○ 未到期", "○ Pending"),
    "requirement.state.missed": ("× 未落实", "× Missed"),
    "requirement.scope": (
        "会议要求只能针对措施、责任领导或责任部门（收到 {scope}）。",
        "A requirement concerns a measure, a leader or a department (got {scope}).",
    ),
    "requirement.no_target": (
        "请选择会议要求针对的措施、责任领导或责任部门。",
        "Choose the measure, leader or department the requirement concerns.",
    ),
    "requirement.no_measure": (
        "本版台账中没有序号为“{measure}”的措施。",
        "This version has no measure numbered “{measure}”.",
    ),
    "requirement.ambiguous_measure": (
        "序号“{measure}”对应多项措施（{keys}），请用带类别的编号指明。",
        "Several measures are numbered “{measure}” ({keys}); give the one with its category.",
    ),
    "requirement.no_leader": ("本版台账中没有责任领导“{name}”。", "No responsible leader “{name}” in this version."),
    "requirement.no_department": (
        "本版台账中没有责任部门“{name}”。",
        "No responsible department “{name}” in this version.",
    ),
    "requirement.no_text": ("请填写会议要求的内容。", "Write what the meeting required."),
    "requirement.too_long": (
        "会议要求太长（最多 {limit} 字）。",
        "The requirement is too long ({limit} {limit:character|characters} at most).",
    ),
    "requirement.no_by": ("请填写提出要求的领导（职务）。", "Say who gave the requirement (their title)."),
    "requirement.name_too_long": (
        "名称太长（最多 {limit} 字）。",
        "A name is too long ({limit} {limit:character|characters} at most).",
    ),
    "requirement.due_before_meeting": (
        "新的完成时限 {due} 早于会议日期 {date}。",
        "The new deadline {due} is before the meeting date {date}.",
    ),
    # --- charts ---------------------------------------------------------------------------------------------
    "gantt.title": ("整改阶段时间轴", "Phases of the plan"),
    "gantt.completion": ("完成 {pct}", "{pct} done"),
    "gantt.behind": ("进度滞后", "behind"),
    "gantt.elapsed": ("时间已过 {pct}", "{pct} of the time gone"),
    "gantt.inspection": ("督导检查", "Inspection"),
    "gantt.as_of": ("统计日 {day}", "as of {day}"),
    "gantt.days_late": ("超期{n}天", "{n} {n:day|days} late"),
    "gantt.overdue": ("超期未完成", "Overdue"),
    "gantt.group": ("{n}项 · 完成{pct} · 超期{late}", "{n} {n:measure|measures} · {pct} done · {late} overdue"),
    "chart.by_category": ("各类问题整改完成情况", "Completion by category"),
    "chart.completion": (
        "上报 {pct} · 核验 {verified} · 超期 {late}",
        "{pct} reported · {verified} verified · {late} overdue",
    ),
    "chart.measures": ("措施数", "Measures"),
    "chart.overall": ("全部", "All"),
    "chart.plan": ("计划进度", "Planned pace"),
    "chart.trend": ("完成率变化趋势", "Completion over the weeks"),
    # a chart in words, for screen readers (ledger.chart_words)
    "words.chart": ("图表“{title}”：{items}。", "Chart “{title}”: {items}."),
    "words.separator": ("；", "; "),
    "words.list_separator": ("，", ", "),
    "words.empty": ("没有数据", "no data"),
    "words.as_of": ("统计日 {day}", "as of {day}"),
    "words.phase": (
        "{name}（{start} 至 {end}）{state}，措施 {n} 项，完成 {pct}，时间已过 {elapsed}{behind}",
        "{name} ({start} to {end}): {state}, {n} {n:measure|measures}, {pct} done, {elapsed} of the time gone{behind}",
    ),
    "words.behind": ("，进度滞后", ", behind"),
    "words.category": (
        "{name}：措施 {n} 项（已完成 {done}、进行中 {in_progress}、未开始 {not_started}、长期坚持 {ongoing}），"
        "上报完成率 {pct}，核验完成率 {verified}，超期 {late} 项",
        "{name}: {n} {n:measure|measures} (done {done}, in progress {in_progress}, not started {not_started}, "
        "ongoing {ongoing}), {pct} reported done, {verified} verified, {late} overdue",
    ),
    "words.series": ("{name}：{points}", "{name}: {points}"),
    "words.point": ("{day} 为 {pct}", "{pct} on {day}"),
    # --- pages and sidebar ----------------------------------------------------------------------------------
    "app.title": ("整改进度看板", "Rectification dashboard"),
    "page.overview": ("总览", "Overview"),
    "page.timeline": ("时间轴", "Timeline"),
    "page.categories": ("分类完成", "Categories"),
    "page.responsibilities": ("责任落实", "Responsibilities"),
    "page.history": ("历史版本", "History"),
    "page.upload": ("上传台账", "Upload"),
    "page.plan": ("整改方案", "Plan"),
    "page.meeting": ("会议模式", "Meeting mode"),
    "page.login": ("登录", "Log in"),
    "page.rollup": ("各单位汇总", "Units"),
    "sidebar.unit": ("单位", "Unit"),
    "sidebar.all_units": ("全部单位（汇总）", "All units together"),
    "sidebar.all_units_caption": (
        "{n} 个单位各自最新一版台账的汇总；单位也是一个筛选条件。",
        "The newest ledger of each of {n} {n:unit|units} together; the unit is also a filter.",
    ),
    "sidebar.all_units_none_by": ("截至 {day} 还没有单位报送台账。", "No unit had reported by {day}."),
    "sidebar.unit_no_report": ("这个单位还没有报送台账。", "This unit has not reported yet."),
    "upload.unit": ("报送单位", "Reporting unit"),
    "upload.no_unit": ("（不分单位）", "(no unit)"),
    "columns.title": ("确认各列", "Confirm the columns"),
    "columns.caption": (
        "这份台账的表头与常用说法不完全一样。请逐列看“读作”（标“？”的没有把握）：需要改的直接改选——任何一列都可以作为"
        "附加信息完整保留，或不读取——下方的检查随之更新；确认无误后点“按此读取”。确认的读法随方案保存，下周同样表头的"
        "台账不再询问。",
        "This ledger's headers are not all the usual words. Check what each column is read as (those marked “?” are "
        "not sure): change any choice — any column can be kept whole as an extra field, or ignored — and the check "
        "below follows; when it is right, click “Use these columns”. The choice is kept with the plan: next week's "
        "ledger with the same headers is not asked about again.",
    ),
    "columns.confirmed": (
        "各列按下面的选择读取，发布时随方案保存；仍可改选。",
        "The columns are read as chosen below and kept with the plan when published; you can still change them.",
    ),
    "columns.ask_mark": ("？", "? "),
    "columns.help": ("依据：{reason}。前几格：{sample}", "Why: {reason}. First cells: {sample}"),
    "columns.confirm": ("按此读取", "Use these columns"),
    "upload.units_found": (
        "这份台账的“{column}”列写明了各行所属单位，共 {n} 个单位；发布时每个单位各成一版（一次完成）：",
        "This ledger's “{column}” column names each row's unit: {n} {n:unit|units}. Publishing makes one version "
        "per unit, all at once:",
    ),
    "upload.units_unit": ("单位", "Unit"),
    "upload.units_measures": ("措施数", "Measures"),
    "upload.units_state": ("说明", "Note"),
    "upload.units_new": ("新单位，发布时添加", "new: added when published"),
    "upload.units_known": ("已有单位", "known unit"),
    "upload.units_not_yours": ("不是你负责的单位", "not one of your units"),
    "upload.units_refused": (
        "台账中有不属于你负责的单位的行：{units}。请只上传你负责单位的行，或请管理员发布。不会保存任何内容。",
        "The ledger has rows of units you do not publish for: {units}. Upload only your units' rows, or ask an "
        "admin to publish it. Nothing is stored.",
    ),
    "upload.units_picker_ignored": (
        "这份台账自带所属单位列：按各行的单位发布，上面选择的单位不适用。",
        "This ledger names its rows' units: it is published by those, not by the unit chosen above.",
    ),
    "upload.units_published": (
        "已按单位发布到方案“{plan}”：{units}。",
        "Published into the plan “{plan}” by unit: {units}.",
    ),
    "upload.unit_forbidden": (
        "您的账号不能为这个单位报送台账：请选择您负责的单位，或请管理员分配单位。",
        "Your account may not publish for that unit: choose one of your units, or ask an admin to assign one.",
    ),
    "page.users": ("账号管理", "Users"),
    "page.audit": ("操作记录", "Audit trail"),
    "page.evidence": ("佐证材料", "Evidence"),
    "page.inspection": ("督导检查", "Inspection"),
    "access.name": ("账号", "Account"),
    "access.account_password": ("密码", "Password"),
    "access.login_refused": ("账号或密码不正确。", "Wrong account or password."),
    "access.login_needed": ("请先登录。", "Please log in."),
    "access.login_title": ("整改进度看板 · 登录", "Rectification dashboard · log in"),
    "access.login_caption": ("请用管理员分配给您的账号登录。", "Log in with the account your administrator gave you."),
    "access.signed_in": ("已登录：{name}（{role}）", "Signed in: {name} ({role})"),
    "access.logout_account": ("退出登录", "Log out"),
    "access.first_admin": (
        "还没有任何账号。创建第一个管理员后，每人用自己的账号登录，上传人由系统记录：",
        "No account exists yet. Once the first admin exists, everyone logs in with their own "
        "account and the uploader is recorded by the system:",
    ),
    # --- the meeting: requirements, the pack, meeting mode --------------------------------------------------
    "meeting.carried": ("上次会议要求落实情况", "Last meeting's requirements"),
    "meeting.no_carried": ("没有需要跟踪的上次会议要求。", "No requirement from an earlier meeting to follow up."),
    "meeting.current": ("本次会议要求", "This meeting's requirements"),
    "meeting.no_current": ("本次会议还没有记录要求。", "No requirement recorded at this meeting yet."),
    "meeting.state": ("落实情况", "State"),
    "meeting.text": ("会议要求", "Requirement"),
    "meeting.target": ("针对", "Concerning"),
    "meeting.by": ("提出领导", "Given by"),
    "meeting.by_placeholder": ("如：党总支书记", "e.g. Party secretary"),
    "meeting.date": ("会议日期", "Meeting date"),
    "meeting.due": ("新的完成时限（可不填）", "New deadline (optional)"),
    "meeting.due_help": (
        "不填则要求在会议日期后 {days} 天内落实。",
        "Left empty, it is due {days} {days:day|days} after the meeting.",
    ),
    "meeting.required_by": ("要求完成", "Required by"),
    "meeting.scope": ("针对", "Concerning"),
    "meeting.scope_measure": ("整改措施", "A measure"),
    "meeting.scope_leader": ("责任领导", "A leader"),
    "meeting.scope_department": ("责任部门", "A department"),
    "meeting.choose": ("请选择", "Choose"),
    "meeting.record": ("记录会议要求", "Record the requirement"),
    "meeting.record_open": ("记录会议要求", "Record a requirement"),
    "meeting.pick_unit": (
        "会议要求按单位记录：请先在左侧选择一个单位。",
        "Requirements are recorded per unit: pick a unit in the sidebar first.",
    ),
    "history.pick_unit": (
        "趋势、版本比较和延期统计按单位显示：请在左侧或“各单位汇总”页选择一个单位。下表是全部单位的版本。",
        "The trend, comparisons and postponements are per unit: pick a unit in the sidebar or on "
        "the Units page. Below are every unit's versions.",
    ),
    "meeting.editors_only": (
        "只有编辑人员可以记录会议要求：请先在“上传台账”页登录。",
        "Only editors record requirements: sign in on the Upload page first.",
    ),
    "meeting.recorder": ("会议记录", "meeting minutes"),
    "meeting.recorded": (
        "已记录。下周的台账将显示它是否落实；台账本身没有改动。",
        "Recorded. Next week's version shows whether it was met; the ledger itself is unchanged.",
    ),
    "meeting.rule": (
        "已落实：所涉措施在要求日期前完成；未到期：还没到要求日期；未落实：已过要求日期仍未完成。"
        "要求日期为新的完成时限，未填时为会议日期后 {days} 天。",
        "Met: the measures concerned were done by the required date; pending: not yet due; missed: "
        "due and not done. The required date is the new deadline, else the meeting date + {days} {days:day|days}.",
    ),
    "meeting.pack": ("会议材料", "Meeting pack"),
    "meeting.pack_filtered": (
        "会议材料只包含当前筛选范围内的措施。",
        "The pack holds only the measures the filters show.",
    ),
    "meeting.brief_pdf": ("周报 PDF", "Brief (PDF)"),
    "meeting.brief_docx": ("周报 Word", "Brief (Word)"),
    "meeting.image": ("图片（发工作群）", "Image for the group chat"),
    "meeting.notices_by": ("督办单", "Notices"),
    "meeting.by_leader": ("按责任领导", "By leader"),
    "meeting.by_department": ("按责任部门", "By department"),
    "meeting.notices_pdf": ("督办单 PDF", "Notices (PDF)"),
    "meeting.notices_docx": ("督办单 Word（zip）", "Notices (Word, zip)"),
    "meeting.workbook": ("完整台账 Excel（含灯号）", "Whole ledger with lights (Excel)"),
    "meeting.brief_file": ("整改周报_{day}", "brief_{day}"),
    "meeting.notices_file": ("督办单_{day}", "notices_{day}"),
    "meeting.workbook_file": ("整改台账_灯号_{day}", "ledger_lights_{day}"),
    "meeting.history": ("会议要求落实情况（各版）", "Meeting requirements across versions"),
    "meeting.history_none": ("这个整改方案还没有会议要求。", "This plan has no meeting requirement yet."),
    "meeting.recorded_on": ("记录于", "Recorded on"),
    "slides.previous": ("上一页", "Previous"),
    "slides.next": ("下一页", "Next"),
    "slides.exit": ("退出会议模式", "Leave meeting mode"),
    "slides.counter": ("{n} / {total}", "{n} / {total}"),
    "slides.overall": ("整体情况", "Overall"),
    "slides.phases": ("整改阶段", "Phases"),
    "slides.overdue": ("超期未完成（按责任领导）", "Overdue, by leader"),
    "slides.overdue_leader": ("超期未完成：{leader}", "Overdue: {leader}"),
    "slides.part": ("{title}（{n}/{total}）", "{title} ({n}/{total})"),
    "slides.changes": ("与上周相比", "Since last week"),
    "slides.carried": ("上次会议要求落实情况", "Last meeting's requirements"),
    "slides.current": ("本次会议要求", "This meeting's requirements"),
    "plan.title": ("从整改方案开始", "Start from the plan"),
    "plan.manage": ("管理整改方案", "Manage plans"),
    "plan.rename": ("当前方案的名称", "Name of the plan on screen"),
    "plan.rename_save": ("保存名称", "Save the name"),
    "plan.renamed": ("方案名称已保存。", "The plan's name is saved."),
    "plan.demo_caption": (
        "示例方案（{versions} 个版本）只用于演示，不会与真实方案混在一起。",
        "The demo plan ({versions} {versions:version|versions}) is for showing the dashboard; it never mixes with a "
        "real plan.",
    ),
    "plan.delete_demo": ("删除示例方案", "Delete the demo plan"),
    "plan.demo_deleted": ("示例方案已删除。", "The demo plan is deleted."),
    "plan.import": ("读取整改方案文档", "Read the plan document"),
    "plan.source": ("整改方案来自", "The plan comes from"),
    "plan.source_file": ("文件（.docx、.txt、.doc、.wps）", "A file (.docx, .txt, .doc, .wps)"),
    "plan.source_paste": ("粘贴文字", "Pasted text"),
    "plan.file": ("选择整改方案文档", "Choose the plan document"),
    "plan.paste": ("把整改方案的全文粘贴在这里", "Paste the whole plan here"),
    "plan.pasted": ("粘贴的文字", "pasted text"),
    "plan.pasted_file": ("整改方案（粘贴）.txt", "plan (pasted).txt"),
    "plan.year": ("方案的年份（文档只写“201x年”时请填写）", "The plan's year (when the document writes “201x年”)"),
    "plan.year_help": (
        "用于没有写年份的日期，如“4月25日至5月10日”。",
        "Used for dates without a year, such as 4月25日至5月10日.",
    ),
    "plan.categories": ("问题类别", "Categories"),
    "plan.measures": ("整改措施", "Measures"),
    "plan.phases": ("整改阶段", "Phases"),
    "plan.warnings": (
        "有 {n} 处文字没有读取（点击查看）",
        "{n} {n:passage was|passages were} not read (open to see them)",
    ),
    "plan.grid": ("逐项落实责任和时限", "Who answers for each measure, and by when"),
    "plan.grid_help": (
        "可直接在表格中填写或修改；日期写作 2019-05-31，也可以写“长期”“立行立改”“6月底前”。",
        "Fill in or correct the table; write dates as 2019-05-31, or 长期, 立行立改, 6月底前.",
    ),
    "plan.end": ("结束日期", "End"),
    "plan.description": ("工作内容", "What is done"),
    "plan.ledger_file": ("{title}整改台账.xlsx", "{title} ledger.xlsx"),
    "plan.download": ("下载预填好的整改台账（Excel）", "Download the prefilled ledger (Excel)"),
    "plan.publish_title": ("发布为该方案的第一版", "Publish as the plan's first version"),
    "plan.fill_first": (
        "发布前还有 {n} 处需要补全（多为责任领导、部门或责任人）：",
        "{n} {n:thing|things} to complete before publishing (mostly who is responsible):",
    ),
    "plan.publish": ("发布整改方案（第一版）", "Publish the plan (first version)"),
    "plan.baseline_note": ("由整改方案文档生成的第一版", "The first version, made from the plan document"),
    "sidebar.as_of": ("统计日期", "As of"),
    "sidebar.as_of_help": (
        "默认是台账的填报日期；改动后所有页面按此日期计算超期和阶段。",
        "Defaults to the ledger's report date; every page judges overdue work and phases by it.",
    ),
    "sidebar.filters": ("筛选", "Filters"),
    "sidebar.all": ("全部", "All"),
    "sidebar.clear": ("清除筛选", "Clear filters"),
    "sidebar.filtered": ("已按{fields}筛选", "Filtered by {fields}"),
    "sidebar.source": ("文件：{files}；{by} 上传于 {at}", "File: {files}; uploaded by {by} at {at}"),
    "common.no_tasks": ("没有符合筛选条件的整改措施。", "No measures match the filters."),
    "overview.title": ("整改进度总览", "Rectification progress"),
    "overview.caption": ("统计日期 {as_of} · 台账填报日期 {report}", "As of {as_of} · ledger reported {report}"),
    "overview.filtered": ("已筛选", "filtered"),
    "overview.measures": ("整改措施", "Measures"),
    "overview.measures_help": (
        "其中长期坚持 {ongoing} 项，不计入完成率。",
        "{ongoing} of them {ongoing:is|are} ongoing and not counted in completion.",
    ),
    "overview.completion": ("上报完成率", "Completion reported"),
    "overview.done_of": ("上报完成 {done} / {total} 项", "{done} of {total} reported done"),
    "overview.verified": ("核验完成率", "Completion verified"),
    "overview.verified_of": ("已销号 {done} / {total} 项", "{done} of {total} verified"),
    "overview.average_progress": ("平均进度", "Average progress"),
    "overview.overdue": ("超期未完成", "Overdue"),
    "overview.need_attention": ("需督办", "needs follow-up"),
    "overview.due_soon": ("{days}天内到期", "Due within {days} {days:day|days}"),
    "overview.current_phase": ("当前阶段", "Current phase"),
    "overview.current_phase_named": ("当前阶段：{name}", "Current phase: {name}"),
    "overview.no_current": ("不在任何阶段内", "Outside every phase"),
    "overview.days_left": ("剩余 {n} 天", "{n} {n:day|days} left"),
    "overview.behind": ("进度滞后：{phases}", "Behind schedule: {phases}"),
    "overview.behind_one": (
        "{name}（时间已过 {elapsed}，完成 {done}）",
        "{name} ({elapsed} of the time gone, {done} done)",
    ),
    "overview.worst_overdue": ("超期最久的措施", "Longest overdue"),
    "overview.no_overdue": ("没有超期未完成的措施。", "Nothing is overdue."),
    "overview.all_overdue": (
        "查看全部 {n} 项超期措施及责任人",
        "{n:The overdue measure|All {n} overdue measures} and who is responsible",
    ),
    "overview.phases": ("各阶段完成情况", "Phases"),
    "overview.phase_line": ("{name} · {state} · 完成 {pct}", "{name} · {state} · {pct} done"),
    "overview.ledger_warnings": ("本期台账有 {n} 条填报提示。", "This ledger has {n} data {n:warning|warnings}."),
    "timeline.title": ("整改时间轴", "Timeline"),
    "timeline.caption": (
        "四个整改阶段、统计日（红色虚线）和督导检查节点（菱形）。统计日期 {as_of}",
        "The four phases, the as-of day (red dashed line) and the inspection milestone (diamond). As of {as_of}",
    ),
    "timeline.no_phases": (
        "台账中没有整改阶段表，无法绘制时间轴。请在台账中加入“整改步骤”工作表。",
        "The ledger has no phases sheet, so there is no timeline. Add a 整改步骤/phases sheet.",
    ),
    "timeline.show_tasks": (
        "显示各阶段的整改措施（按类别分组，按状态着色）",
        "Show the measures of each phase (grouped by category, coloured by status)",
    ),
    "timeline.large_mode": ("措施较多时的显示方式", "How to show many measures"),
    "timeline.large_help": (
        "共 {n} 项措施，逐项绘制会难以阅读。",
        "{n} {n:measure is|measures are} too many to draw one by one.",
    ),
    "timeline.mode_grouped": ("按阶段和类别汇总", "Grouped by phase and category"),
    "timeline.mode_paged": ("逐项分页显示", "One by one, a page at a time"),
    "timeline.page": ("页码（共 {pages} 页）", "Page (of {pages})"),
    "timeline.phase": ("阶段", "Phase"),
    "timeline.period": ("起止日期", "Period"),
    "timeline.state": ("状态", "State"),
    "timeline.measures": ("措施数", "Measures"),
    "timeline.elapsed": ("时间进度", "Time gone"),
    "timeline.completion": ("完成率", "Completion"),
    "timeline.behind_rule": (
        "时间进度超过完成率 {points} 个百分点即为“进度滞后”。",
        "A phase is behind when the share of its time gone exceeds its completion by over "
        "{points} {points:point|points}.",
    ),
    "categories.title": ("各类问题整改完成情况", "Completion by category"),
    "categories.caption": (
        "统计日期 {as_of}；完成率 = 已完成 ÷（措施数 − 长期坚持）。",
        "As of {as_of}; completion = done ÷ (measures − ongoing).",
    ),
    "categories.click_hint": (
        "点击图中某一类别即可按该类别筛选所有页面。",
        "Click a category in the chart to filter every page by it.",
    ),
    "categories.tasks": ("措施数", "Measures"),
    "categories.completion": ("上报完成率", "Completion reported"),
    "categories.verified": ("核验完成率", "Completion verified"),
    "categories.average_progress": ("平均进度", "Average progress"),
    "categories.overdue": ("超期", "Overdue"),
    "categories.pick": ("按类别筛选", "Filter by category"),
    "categories.pick_placeholder": ("选择一个问题类别", "Choose a category"),
    "categories.group_by": ("分组依据", "Group by"),
    "categories.group_by_help": (
        "按问题类别，或按台账自带的某一列（如审计来源、问题类型）分组统计；会议材料的周报随之分组。",
        "The problem category, or a column the ledger adds (an audit source, a problem type); the meeting pack's "
        "brief groups the same way.",
    ),
    "categories.blank": ("（未填）", "(blank)"),
    "categories.total": ("合计", "Total"),
    "categories.amounts": ("“{name}”合计", "Totals of “{name}”"),
    "categories.amount_total": ("合计", "Total"),
    "categories.amount_done": ("已完成", "Done"),
    "categories.amount_not_done": ("未完成", "Not done"),
    "categories.measures_of": ("{names}：整改措施", "Measures of {names}"),
    "responsibilities.title": ("责任落实情况", "Responsibilities"),
    "responsibilities.caption": (
        "超期未完成和{days}天内到期的措施，落实到责任领导、部门和责任人。统计日期 {as_of}",
        "Overdue measures and those due within {days} {days:day|days}, by responsible leader, department and person. "
        "As of {as_of}",
    ),
    "responsibilities.overdue": ("超期未完成", "Overdue"),
    "responsibilities.by_person": ("按责任领导 → 责任部门 → 责任人", "By leader → department → owner"),
    "responsibilities.count": ("超期项数", "Overdue"),
    "responsibilities.max_days": ("最长超期天数", "Most days late"),
    "responsibilities.none_overdue": ("没有超期未完成的措施。", "Nothing is overdue."),
    "responsibilities.detail": ("超期明细（按超期天数排序）", "Overdue measures, most days late first"),
    "responsibilities.due_soon": ("{days}天内到期（{n} 项）", "Due within {days} {days:day|days} ({n})"),
    "responsibilities.none_due_soon": ("{days}天内没有到期的措施。", "Nothing is due within {days} {days:day|days}."),
    "responsibilities.download": ("下载超期和即将到期清单（Excel）", "Download the overdue and due-soon lists (Excel)"),
    "responsibilities.sheet_overdue": ("超期未完成", "Overdue"),
    "responsibilities.sheet_due_soon": ("{days}天内到期", "Due in {days} {days:day|days}"),
    # --- report columns -------------------------------------------------------------------------------------
    "report.severity": ("类型", "Type"),
    "report.error": ("错误", "Error"),
    "report.warning": ("提示", "Warning"),
    "report.sheet": ("工作表", "Sheet"),
    "report.row": ("行号", "Row"),
    "report.column": ("列", "Column"),
    "report.value": ("填写内容", "Value"),
    "report.message": ("说明", "Message"),
    "report.summary": (
        "{errors} 个错误，{warnings} 个提示。",
        "{errors} {errors:error|errors}, {warnings} {warnings:warning|warnings}.",
    ),
    "report.clean": ("没有发现问题。", "No problems found."),
    # --- evidence files and closure review (ledger.intake.evidence, ledger.evidence, ledger.closure) ---------------
    "evidence.empty": ("“{name}”是空文件。", "“{name}” is empty."),
    "evidence.too_large": (
        "“{name}”有 {size} MB，超过每个文件 {limit} MB 的上限。",
        "“{name}” is {size} MB, over the {limit} MB limit per file.",
    ),
    "evidence.program": (
        "“{name}”是程序或脚本，不能作为佐证材料。可接收：{accepted}。",
        "“{name}” is a program or a script, not evidence. Accepted: {accepted}.",
    ),
    "evidence.archive": (
        "“{name}”是压缩包。请解压后上传其中的文件，或用“批量导入”上传 zip。可接收：{accepted}。",
        "“{name}” is an archive. Upload the files in it, or use the zip import. Accepted: {accepted}.",
    ),
    "evidence.markup": (
        "“{name}”是网页、SVG 或 XML 文件，不能作为佐证材料。可接收：{accepted}。",
        "“{name}” is an HTML, SVG or XML file, not evidence. Accepted: {accepted}.",
    ),
    "evidence.type": (
        "不支持“{name}”的文件类型（按文件内容判断，与文件名无关）。可接收：{accepted}。",
        "The type of “{name}” is not accepted (told by its content, not its name). Accepted: {accepted}.",
    ),
    "evidence.macro": (
        "“{name}”含有宏，不能作为佐证材料。请另存为不含宏的文档或 PDF 后上传。",
        "“{name}” contains macros. Save it without macros, or as PDF, and upload that.",
    ),
    "evidence.encrypted": (
        "“{name}”设有密码或已加密，无法查看。请去掉密码后上传。",
        "“{name}” is password-protected or encrypted and cannot be viewed. Remove the password and upload it again.",
    ),
    "evidence.corrupt": ("“{name}”已损坏或不是它看起来的类型。", "“{name}” is damaged, or not what its content says."),
    "evidence.pdf_active": (
        "“{name}”是含有脚本、启动操作或内嵌文件的 PDF，不能作为佐证材料。请“打印为 PDF”后上传。",
        "“{name}” is a PDF with scripts, launch actions or embedded files. Print it to PDF and upload that.",
    ),
    "evidence.pixel_bomb": (
        "“{name}”的像素超过 {limit} 百万，可能是恶意构造的图片，已拒收。",
        "“{name}” has more pixels than the limit (a possible pixel bomb: {limit} million at most) and is refused.",
    ),
    "evidence.bomb": (
        "“{name}”解压后过大或压缩比异常，可能是压缩炸弹，已拒收。",
        "“{name}” unpacks to too much, or at a suspicious ratio (a possible zip bomb), and is refused.",
    ),
    "evidence.too_much_memory": (
        "检查“{name}”时超出内存上限，已拒收。",
        "Checking “{name}” needed more memory than allowed; it is refused.",
    ),
    "evidence.too_slow": ("检查“{name}”超时，已拒收。", "Checking “{name}” took too long; it is refused."),
    "evidence.crashed": ("无法检查“{name}”，已拒收。", "“{name}” could not be checked and is refused."),
    "evidence.no_preview": (
        "此类文件不在页面预览，请下载查看。",
        "This type is not previewed; download it to view it.",
    ),
    "evidence.too_many": (
        "措施 {measure} 的佐证材料已达 {limit} 个上限，本次未保存任何文件。",
        "Measure {measure} already has {limit} evidence {limit:file|files}, the limit; nothing was stored.",
    ),
    "evidence.zip_corrupt": ("“{name}”不是有效的 zip 文件。", "“{name}” is not a valid zip file."),
    "evidence.zip_bomb": (
        "“{name}”解压后超过 {limit} MB 或压缩比异常，可能是压缩炸弹，未解压任何文件。",
        "“{name}” unpacks to over {limit} MB or at a suspicious ratio (a possible zip bomb); nothing was unpacked.",
    ),
    "evidence.zip_too_large": (
        "“{name}”有 {size} MB，超过 zip 文件 {limit} MB 的上限。",
        "“{name}” is {size} MB, over the {limit} MB limit for a zip.",
    ),
    "evidence.skip_link": ("是链接，不解压", "a link: not unpacked"),
    "evidence.skip_outside": ("路径指向压缩包之外（../ 或绝对路径），不解压", "its path leads outside the archive"),
    "evidence.skip_encrypted": ("已加密，无法解压", "encrypted: cannot be unpacked"),
    "evidence.skip_measure": (
        "文件夹名或文件名开头不是最新版台账中的序号",
        "its folder or name does not start with a measure number (“序号”) of the newest version",
    ),
    "evidence.skip_too_large": ("超过每个文件的大小上限", "over the size limit per file"),
    "evidence.skip_corrupt": ("无法解压", "cannot be unpacked"),
    "evidence.skip_archive": ("压缩包中的压缩包，不解压", "an archive inside the archive"),
    "evidence.skip_refused": ("文件类型不被接收或文件不安全", "a type not accepted, or an unsafe file"),
    "closure.reason_needed": ("退回时必须写明理由。", "A return needs a reason."),
    "closure.unknown": ("最新版台账中没有措施 {measure}。", "Measure {measure} is not in the newest version."),
    "closure.not_claimed": (
        "措施 {measure} 当前不是待审核状态，不能审核。",
        "Measure {measure} is not awaiting review, so it cannot be reviewed.",
    ),
    "closure.not_returned": (
        "措施 {measure} 未被退回，无需重新申请销号。",
        "Measure {measure} has not been returned; there is nothing to re-submit.",
    ),
    "closure.not_done": (
        "最新版台账未报告措施 {measure} 已完成，不能申请销号。",
        "The newest version does not report measure {measure} done, so its closure cannot be requested.",
    ),
    "review.open": ("未报完成", "not reported done"),
    "upload.loses_verification": (
        "本台账将已销号的措施 {ids} 报告为未完成：发布后其销号将被撤销，需重新申请并审核。",
        "This ledger reports verified measures {ids} as not done: once published they lose their verification and "
        "must be claimed and reviewed again.",
    ),
    "status.done_claimed": ("已完成（待审核）", "Done (awaiting review)"),
    "status.returned": ("退回：{reason}", "Returned: {reason}"),
    "review.claimed": ("已完成待审核", "done, awaiting review"),
    "review.verified": ("已销号", "verified"),
    "review.returned": ("退回", "returned"),
    "cli.unit_needed": (
        "该方案有多个单位，请用 --unit 指定：{units}",
        "The plan has units; name one with --unit: {units}",
    ),
    "cli.no_such_measure": (
        "最新版台账中没有序号为“{measure}”的措施。",
        "The newest version has no measure “{measure}”.",
    ),
    "cli.no_evidence": ("没有佐证材料。", "No evidence files."),
    "cli.evidence_nothing_stored": ("本次未保存任何文件。", "Nothing was stored."),
    "cli.evidence_added": ("已保存 [{id}] {name}（措施 {measure}）", "Stored [{id}] {name} (measure {measure})"),
    "cli.evidence_duplicate": (
        "“{name}”已在该措施的佐证材料中，未重复保存。",
        "“{name}” is already attached; not stored twice.",
    ),
    "cli.evidence_imported": (
        "已导入 {n} 个文件，跳过 {skipped} 个：",
        "Imported {n} {n:file|files}, skipped {skipped}:",
    ),
    "cli.no_such_evidence": ("没有编号为 {id} 的佐证材料。", "There is no evidence file {id}."),
    "cli.closure_request": ("措施 {measure} 已重新申请销号：{state}", "Measure {measure} re-submitted: {state}"),
    "cli.closure_approve": ("措施 {measure} 审核通过：{state}", "Measure {measure} approved: {state}"),
    "cli.closure_return": ("措施 {measure} 已退回：{state}", "Measure {measure} returned: {state}"),
    "cli.inspection_counts": (
        "待审核 {claimed} 项，已销号 {verified} 项，退回 {returned} 项",
        "{claimed} awaiting review, {verified} verified, {returned} returned",
    ),
    "inspection.claims": ("待审核（最早的在前）", "Awaiting review (oldest first)"),
    "inspection.returned": ("已退回", "Returned"),
    "inspection.without_evidence": ("报完成但无佐证材料", "Reported done without evidence"),
    "inspection.regressed": ("曾报完成后又改为未完成", "Done, then not done in a later version"),
    "inspection.sample": ("本周抽查", "This week's spot check"),
    "evidence.title": ("佐证材料", "Evidence"),
    "evidence.caption": (
        "每项措施的佐证材料随措施保存，下周台账中的同一措施仍显示这些文件。照片保存前已去除位置等信息。",
        "Each measure keeps its evidence files across versions. Photos are stored without their location and other "
        "identifying metadata.",
    ),
    "evidence.pick_unit": (
        "佐证材料和审核按单位进行：请在侧栏选择一个单位。",
        "Evidence and review belong to one unit's measures: choose a unit in the sidebar.",
    ),
    "evidence.pick_placeholder": ("选择一项措施", "Choose a measure"),
    "evidence.measure": ("措施（最新版台账）", "Measure (newest version)"),
    "evidence.none": ("这项措施还没有佐证材料。", "This measure has no evidence files yet."),
    "evidence.file_line": ("{kind} · {size} · {by} 于 {at} 上传", "{kind} · {size} · added by {by} on {at}"),
    "evidence.stripped": ("已去除位置等信息", "location and metadata removed"),
    "evidence.preview": ("预览", "Preview"),
    "evidence.more_pages": (
        "仅预览前 {shown} 页，共 {pages} 页；请下载查看全文。",
        "First {shown} of {pages} {pages:page|pages}; download it to read all.",
    ),
    "evidence.download": ("下载", "Download"),
    "evidence.added": ("已为措施 {measure} 保存 {n} 个文件。", "Stored {n} {n:file|files} for measure {measure}."),
    "evidence.attach": ("上传佐证材料（可多选）", "Attach evidence (several files at once)"),
    "evidence.attach_help": (
        "照片、PDF、Word、Excel、WPS、OFD 等；每个文件不超过 {mib} MB，每项措施最多 {files} 个。文件类型按内容判断。",
        "Photos, PDF, Word, Excel, WPS, OFD…; at most {mib} MB a file and {files} {files:file|files} a measure. "
        "The type is told by the content.",
    ),
    "evidence.save": ("保存到措施 {measure}", "Save to measure {measure}"),
    "evidence.import": ("批量导入（zip）", "Import a zip"),
    "evidence.import_help": (
        "每个序号一个文件夹或文件名前缀，如 6/分工文件.pdf、14-截图/净网行动.png；zip 不超过 {mib} MB，更大的请用命令行导入。",
        "One folder or file-name prefix per measure number, e.g. 6/分工文件.pdf, 14-截图/净网行动.png; a zip of at "
        "most {mib} MB here, larger ones with the command line.",
    ),
    "evidence.zip": ("zip 文件", "Zip file"),
    "evidence.import_button": ("导入", "Import"),
    "evidence.choose_files": ("请先选择要上传的文件。", "Choose the files to attach first."),
    "evidence.decided": ("{by}，{at}", "{by}, {at}"),
    "evidence.returned_reason": ("{state}。理由：{reason}", "{state}. Reason: {reason}"),
    "evidence.lost": (
        "这项措施曾经销号，之后的台账报告为未完成，销号已撤销。",
        "This measure was verified; a later version reports it not done, so the verification was withdrawn.",
    ),
    "evidence.resubmit": ("重新申请销号", "Re-submit for closure"),
    "evidence.reason": ("审核意见（退回时必填）", "Comment (required to return)"),
    "evidence.approve": ("审核通过，销号", "Approve (verify)"),
    "evidence.confirm": ("抽查无误，再次确认", "Spot check: confirm again"),
    "evidence.return": ("退回", "Return"),
    "evidence.state": ("审核状态", "Review"),
    "evidence.files": ("佐证材料数", "Files"),
    "evidence.since": ("时间", "Since"),
    "inspection.title": ("督导检查", "Inspection"),
    "inspection.claims_count": ("待审核", "Awaiting review"),
    "inspection.no_claims": ("没有待审核的措施。", "No claims awaiting review."),
    "inspection.open": ("打开一项措施（查看佐证、审核）", "Open a measure (evidence, review)"),
    "inspection.sample_help": (
        "本周抽查 {n} 项已销号措施：按方案和周次抽取，本周内不会重新抽取。",
        "This week's spot check: {n} verified {n:measure|measures}, drawn by plan and week, not drawn again this week.",
    ),
    "inspection.record_docx": ("下载督导检查记录表（Word）", "Download the inspection record (Word)"),
    "inspection.record_pdf": ("下载督导检查记录表（PDF）", "Download the inspection record (PDF)"),
    "record.title": ("督导检查记录表", "Inspection record"),
    "record.dates": ("{start} 至 {end}", "{start} to {end}"),
    "record.plan": ("整改方案", "Plan"),
    "record.unit": ("被检查单位", "Unit inspected"),
    "record.period": ("检查周期", "Period"),
    "record.decisions": ("审核记录", "Decisions"),
    "record.id": ("序号", "No."),
    "record.measure": ("整改措施", "Measure"),
    "record.evidence": ("查看的佐证材料", "Evidence seen"),
    "record.decision": ("审核结论", "Decision"),
    "record.reason": ("理由", "Reason"),
    "record.by": ("审核人", "By"),
    "record.at": ("时间", "When"),
    "record.sample": ("本周抽查（已销号措施复查）", "This week's spot check (verified measures checked again)"),
    "record.state": ("当前状态", "State now"),
    "record.none": ("本周无审核记录", "No decisions this week"),
    "record.leader": ("督导组组长（签字）", "Inspection group leader (signature)"),
    "record.members": ("督导组成员（签字）", "Inspection group members (signatures)"),
    "record.date": ("日期", "Date"),
    "record.no_evidence": ("无佐证材料", "no evidence file"),
    "record.approved": ("通过（销号）", "approved (verified)"),
    "record.returned": ("退回", "returned"),
}


class TranslationError(LookupError):
    """A string key missing from STRINGS, a parameter its text needs and was not given, or a value its text
    cannot show (a plural choice given no number). Raised only in strict mode (LEDGER_I18N_STRICT=1)."""


def strict() -> bool:
    """Whether translation problems raise (tests) rather than being logged (a running server, the command line)."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in ("1", "true", "yes")


def _count(value: object) -> float:
    """The number a plural choice is made on: a number, or text that starts with one ("1", "1,000", "200001+")."""
    if isinstance(value, str):
        written = _NUMBER.match(value.strip())
        if written is None:
            raise ValueError(f"a plural choice needs a count, not {value!r}")
        return float(written[0].replace(",", ""))
    if isinstance(value, bool):
        raise TypeError("a plural choice needs a count, not a bool")
    if isinstance(value, Real):
        return float(value)
    raise TypeError(f"a plural choice needs a count, not {type(value).__name__}")


class _Texts(Formatter):
    """str.format, plus the plural choice "{n:one|other}": `one` when n is 1, `other` for every other count."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return one if _count(value) == 1 else other
        return format(value, format_spec)


class _Forgiving(_Texts):
    """The same, showing MISSING for a parameter not given and a value as plain text where its format fails."""

    def get_value(self, key: int | str, args, kwargs: Mapping[str, object]) -> object:
        return kwargs.get(key, MISSING) if isinstance(key, str) else MISSING

    def format_field(self, value: object, format_spec: str) -> str:
        if value is MISSING:  # a plural choice without its count takes the plural: "… days late"
            return format_spec.rpartition("|")[2] if "|" in format_spec else MISSING
        try:
            return super().format_field(value, format_spec)
        except (ValueError, TypeError):
            return format_spec.rpartition("|")[2] if "|" in format_spec else str(value)


_TEXTS = _Texts()
_FORGIVING = _Forgiving()
_reported: set[tuple[str, str]] = set()


def fields(text: str) -> set[str]:
    """The parameters a text names, plural choices and their nested parameters included."""
    names = set()
    for _, name, spec, _ in Formatter().parse(text):
        if name is not None:
            names.add(name)
            names |= fields(spec or "")
    return names


def render(text: str, params: Mapping[str, object]) -> str:
    """`text` with its parameters filled in (str.format, with plural choices); raises as str.format does."""
    if "|" in text:
        return _TEXTS.vformat(text, (), params)
    return text.format_map(params)


def _problem(key: str, lang: str, problem: str) -> None:
    """Raise in strict mode; otherwise log (once per key and language) and let the caller show its best effort."""
    if strict():
        raise TranslationError(f"ledger.i18n: {key!r} ({lang}): {problem}")
    if (key, lang) not in _reported:
        _reported.add((key, lang))
        log.error("ledger.i18n: %r (%s): %s", key, lang, problem)


def translate(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The string for `key` in `lang`, with {params} filled in. An unknown key or a missing parameter raises
    TranslationError in strict mode; otherwise it is logged, an unknown key shows itself and a missing parameter
    shows as MISSING."""
    pair = STRINGS.get(key)
    if pair is None:
        _problem(key, lang, "no such key in ledger/i18n.py STRINGS")
        return key
    text = pair[1] if lang == "en" else pair[0]
    if "{" not in text:
        return text
    try:
        return render(text, params)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as error:
        missing = sorted(fields(text) - set(params))
        given = ", ".join(sorted(params)) or "none"
        if missing:
            _problem(key, lang, f"missing parameter(s) {', '.join(missing)} (given: {given})")
        else:
            _problem(key, lang, f"{type(error).__name__}: {error} (given: {given})")
        return _FORGIVING.vformat(text, (), params)
