"""Ledgers this project did not design, written in code as the offices that keep them lay them out (README "The
ledger spreadsheet", columns read by meaning): an audit office's 审计整改台账 (one workbook per subsidiary, and the
group's merged 汇总台账 with a subsidiary column), a 督查督办 ledger, a 巡察整改 checklist, and a ledger whose headers
no rule can guess."""

from __future__ import annotations

from datetime import date

from tests.sheets import xlsx

AUDIT_HEADER = [
    "序号",
    "所属单位",
    "审计来源",
    "审计年度",
    "问题类别",
    "问题描述",
    "涉及金额（万元）",
    "审计建议",
    "整改计划及措施",
    "目标设定完成时间",
    "责任领导",
    "责任部门",
    "责任人",
    "整改验收人",
    "是否整改完成",
    "整改完成时间",
    "整改完成情况",
    "红黑榜",
    "佐证材料",
    "备注",
]

# (unit, source, class, problem, amount, measure, due, leader, department, owner, done?, done on, progress text, list)
AUDIT_ROWS = [
    (
        "第一分公司",
        "内部审计",
        "财务管理",
        "差旅费报销单据不全",
        12.5,
        "补齐差旅费报销单据并建立审核台账",
        date(2024, 3, 31),
        "分管财务副总经理",
        "财务部",
        "财务部经理",
        "是",
        date(2024, 3, 20),
        "已补齐单据 46 份",
        "红榜",
    ),
    (
        "第一分公司",
        "外部审计",
        "合同管理",
        "部分合同未经法务审核",
        80.0,
        "对未经审核的合同逐份补充法务审核意见",
        date(2024, 5, 31),
        "总经理",
        "法务部",
        "法务专员",
        "否",
        None,
        "已审核 12 份，余 8 份",
        "",
    ),
    (
        "第一分公司",
        "内部审计",
        "资产管理",
        "固定资产账实不符",
        35.2,
        "开展固定资产全面盘点，调整账务",
        date(2024, 4, 30),
        "分管财务副总经理",
        "资产管理部",
        "资产管理员",
        "否",
        None,
        "盘点进行中",
        "黑榜",
    ),
    (
        "第二分公司",
        "外部审计",
        "财务管理",
        "往来款项长期挂账",
        150.0,
        "清理长期挂账往来款项，逐笔明确责任人",
        date(2024, 6, 30),
        "总经理",
        "财务部",
        "会计主管",
        "否",
        None,
        "已清理 60%",
        "",
    ),
    (
        "第二分公司",
        "内部审计",
        "采购管理",
        "采购未按规定比价",
        22.0,
        "修订采购管理办法，落实三家比价",
        date(2024, 3, 15),
        "分管采购副总经理",
        "采购部",
        "采购部经理",
        "是",
        date(2024, 3, 10),
        "办法已印发",
        "红榜",
    ),
    (
        "第三分公司",
        "内部审计",
        "财务管理",
        "备用金未及时清理",
        5.8,
        "清理备用金并建立月度核查制度",
        date(2024, 2, 28),
        "分管财务副总经理",
        "财务部",
        "出纳",
        "是",
        date(2024, 2, 26),
        "已清理完毕",
        "",
    ),
]


def audit_rows(units: tuple[str, ...] | None = None) -> list[list[object]]:
    """The task rows under AUDIT_HEADER (of some units only, when given), numbered within each unit."""
    rows: list[list[object]] = []
    numbers: dict[str, int] = {}
    for unit, source, kind, problem, amount, measure, due, leader, dept, owner, done, done_on, text, mark in AUDIT_ROWS:
        if units is not None and unit not in units:
            continue
        numbers[unit] = numbers.get(unit, 0) + 1
        rows.append(
            [numbers[unit], unit, source, 2023, kind, problem, amount, "建议加强管理", measure, due, leader, dept, owner,
             "审计部", done, done_on, text, mark, "整改报告" if done == "是" else "", ""]
        )  # fmt: skip
    return rows


def audit_workbook(units: tuple[str, ...] | None = None, title: str = "集团公司审计整改汇总台账") -> bytes:
    """The audit office's ledger: the merged 汇总台账 of every subsidiary (or some), with its statistics date."""
    above = [[title], ["填报单位：审计部", "", "", "", "", "", "", "", "统计截止时间：2024年4月1日"]]
    return xlsx({"汇总台账": [*above, AUDIT_HEADER, *audit_rows(units)]})


SUPERVISION_HEADER = [
    "序号",
    "督办事项",
    "督办来源",
    "交办领导",
    "承办单位",
    "承办人",
    "交办时间",
    "办理时限",
    "办理情况",
    "是否办结",
]
SUPERVISION_ROWS = [
    [1, "推进校园安全隐患排查整治", "党委会议定事项", "党委书记", "保卫处", "保卫处处长", date(2024, 3, 1),
     date(2024, 4, 15), "已办结", "是"],
    [2, "完善学生资助工作制度", "校长办公会", "分管学生工作副校长", "学生处", "学生处处长", date(2024, 3, 5),
     date(2024, 4, 30), "正在推进", "否"],
    [3, "落实教职工体检工作", "群众来信", "工会主席", "工会", "工会副主席", date(2024, 3, 10),
     date(2024, 3, 31), "办理中", "否"],
    [4, "规范公务用车管理", "巡察反馈", "党委副书记", "党政办公室", "办公室主任", date(2024, 3, 12),
     date(2024, 6, 30), "持续推进", "否"],
]  # fmt: skip


def supervision_workbook() -> bytes:
    """A 督查督办 ledger: 督办事项, 交办领导, 承办单位, 承办人, 办理时限, 是否办结."""
    above = [["2024年督查督办事项台账"], ["填报单位：党政办公室　　　　填报日期：2024年4月8日"]]
    return xlsx({"督办台账": [*above, SUPERVISION_HEADER, *SUPERVISION_ROWS]})


INSPECTION_HEADER = [
    "序号",
    "反馈问题",
    "整改举措",
    "包联领导",
    "牵头单位",
    "责任人",
    "整改期限（时间节点）",
    "整改状态",
    "整改成效",
    "佐证材料",
]
INSPECTION_ROWS = [
    [1, "理论学习不深入", "制定年度理论学习计划，每月开展专题学习", "党委书记", "党委宣传部", "宣传部部长",
     "2024年6月底前", "正在推进", "已开展专题学习 3 次", ""],
    [2, "理论学习不深入", "建立学习督查通报制度", "党委书记", "党委宣传部", "宣传部副部长", "2024年5月31日", "已完成",
     "通报制度已印发", "制度文件"],
    [3, "选人用人不规范", "修订干部选拔任用工作规程", "党委副书记", "党委组织部", "组织部部长", "2024年9月30日",
     "尚未启动", "", ""],
    [4, "财务制度执行不严", "开展财务制度执行情况专项检查", "分管财务副校长", "计划财务处", "财务处处长", "长期坚持",
     "持续推进", "每季度检查一次", ""],
]  # fmt: skip


def inspection_workbook() -> bytes:
    """A 巡察整改 checklist: 反馈问题, 整改举措, 包联领导, 牵头单位, 整改期限（时间节点）, 整改状态."""
    above = [["巡察反馈问题整改清单"], ["数据截至2024年4月30日"]]
    return xlsx({"整改清单": [*above, INSPECTION_HEADER, *INSPECTION_ROWS]})


ODD_HEADER = ["条目", "办什么", "谁来抓", "归口", "经手", "交账日子", "眼下"]
ODD_MAPPING = "条目=id,办什么=measure,谁来抓=leader,归口=department,经手=owner,交账日子=due,眼下=status"


def odd_rows(weeks: int = 0) -> list[list[object]]:
    """A ledger whose headers no rule can guess; `weeks` later, the first measure is done."""
    return [
        [1, "建立周例会制度，每周通报整改进展", "党总支书记", "党政办公室", "办公室主任", date(2024, 5, 10),
         "已完成" if weeks else "进行中"],
        [2, "完善意识形态工作责任清单并印发", "党总支副书记", "党建工作办公室", "组织员", date(2024, 5, 31), "进行中"],
        [3, "组织全体教师开展师德师风专题学习", "分管教学副校长", "教务处", "教务处处长", date(2024, 6, 15), "未开始"],
    ]  # fmt: skip


def odd_workbook(weeks: int = 0) -> bytes:
    day = 6 + 7 * weeks
    above = [["某中学整改推进表"], [f"填报日期：2024年5月{day}日"]]
    return xlsx({"推进表": [*above, ODD_HEADER, *odd_rows(weeks)]})
