"""The seed plan (意识形态工作责任制专项整治方案) as a ledger, week by week; `python -m ledger.sample` writes data/."""

from __future__ import annotations

import random
import sys
from datetime import date, datetime
from pathlib import Path

from ledger.model import Phase
from ledger.publishing import check_upload, publish
from ledger.store import DEMO_PLAN_NAME, DEMO_UPLOADER, Store, StoreError
from ledger.writing import LedgerSheet, ledger_workbook, template_workbook

TITLE = "榆树市职业技术教育中心党总支意识形态工作责任制专项整治整改台账"
UNIT = "党总支办公室"
SCHOOL = "榆树市职业技术教育中心党总支"  # the unit that issued the plan
FOOTER = (
    "注：完成情况填写“已完成 / 进行中 / 未开始 / 长期坚持”；完成进度填百分比；已完成的须注明佐证材料和完成日期。",
    "填表人：办公室主任        审核人：党总支书记",
)

PHASES = (
    Phase(
        "第一阶段：自查自纠",
        date(2019, 4, 25),
        date(2019, 5, 10),
        1,
        "认真学习局党委整改方案，制定整改方案，明确整改责任，细化整改措施。",
    ),
    Phase(
        "第二阶段：整改落实",
        date(2019, 5, 11),
        date(2019, 5, 31),
        2,
        "对照问题逐条认真进行整改，深入查找问题产生原因，建立整改台帐，确保在5月31日前全面彻底地完成整改任务。",
    ),
    Phase(
        "第三阶段：迎接督导检查",
        date(2019, 6, 1),
        date(2019, 6, 10),
        3,
        "迎接局党委关于意识形态问题整改落实情况的督导检查。",
    ),
    Phase(
        "第四阶段：健全机制",
        date(2019, 6, 11),
        date(2019, 6, 30),
        4,
        "从强化领导责任、舆论管控、阵地管理、队伍建设等方面，创新和完善长效制度机制，确保意识形态工作抓常抓细抓长。",
    ),
)

C1, C2, C3, C4, C5 = (
    "一、思想重视不够、落实不力的问题",
    "二、基层干部队伍建设薄弱的问题",
    "三、宗教、邪教进校园工作仍有漏洞的问题",
    "四、校园文化阵地建设不全面的问题",
    "五、网络管控力度不大、能力欠缺的问题",
)
# Each category's 问题表现, as the seed plan states it.
PROBLEMS = {
    C1: "有的党员领导干部对意识形态工作的极端重要性认识不足，工作安排部署多，检查落实少，管理不到位；意识形态工作"
    "机制建设存在不健全、不顺畅的问题。",
    C2: "部分基层宣传干部年龄偏大、思想观念滞后，有的年轻干部身兼多职、工作积极性差；有的主管意识形态工作的领导和"
    "具体工作人员理论功底有限，缺乏工作经验，培训力度不够。",
    C3: "宗教活动、邪教组织仍有向校园发展趋势，校园反邪教工作的紧迫性和重要性重视程度不够。",
    C4: "校园文化建设仍停留在以硬件设施的堆砌为主要形式上，缺少独具特色的、多元化的精神环境和文化氛围。",
    C5: "利用现有资源处置网络舆情能力有限；少数干部对网络舆论引导重视程度不高，网络舆论引导能力欠缺。",
}
SECRETARY, DEPUTY, PRINCIPAL = "党总支书记", "党总支副书记", "校长"
VP_SAFETY, VP_MORAL, VP_IT = "分管安全副校长", "分管德育副校长", "分管信息化副校长"
OFFICE, MORAL, SECURITY, LEAGUE, IT = "党政办公室", "德育处", "安全保卫处", "团委", "信息中心"
LONG = "长期"

# id, category, measure, phase (by number), leader, department, owner, start, due as planned
MEASURES = (
    (
        1,
        C1,
        "成立意识形态工作领导小组，明确各基层党组织主体责任、主要领导“一把手”责任、分管领导直接责任和班子成员"
        "一岗双责；至少每半年专题研究一次意识形态工作，并作为述职述廉述责报告的重要内容。",
        1,
        SECRETARY,
        OFFICE,
        "办公室主任",
        date(2019, 4, 25),
        date(2019, 5, 10),
    ),
    (
        2,
        C1,
        "把意识形态工作纳入党总支年度工作要点，与业务工作同部署、同落实、同检查、同考核。",
        2,
        SECRETARY,
        OFFICE,
        "办公室主任",
        date(2019, 5, 11),
        date(2019, 5, 15),
    ),
    (
        3,
        C1,
        "结合“不忘初心、牢记使命”主题教育和“两学一做”学习教育常态化制度化，制定学习计划，强化督导检查，"
        "切实将学习任务落到实处。",
        2,
        DEPUTY,
        OFFICE,
        "组织委员",
        date(2019, 5, 11),
        date(2019, 5, 31),
    ),
    (
        4,
        C1,
        "制订党委意识形态工作考核细则，纳入督导考评，坚持专项督导与定期督导相结合。",
        2,
        DEPUTY,
        OFFICE,
        "办公室主任",
        date(2019, 5, 11),
        date(2019, 5, 24),
    ),
    (
        5,
        C1,
        "建立健全意识形态预警防控机制、重大问题处置机制、重大事故问责机制，对履责不力的领导干部追责问责。",
        4,
        SECRETARY,
        OFFICE,
        "办公室主任",
        date(2019, 6, 11),
        date(2019, 6, 30),
    ),
    (
        6,
        C2,
        "明确工作职责，宣传干部兼职不超过两项。",
        1,
        PRINCIPAL,
        OFFICE,
        "办公室主任",
        date(2019, 4, 25),
        date(2019, 5, 10),
    ),
    (
        7,
        C2,
        "积极派送宣传干部参加教育局组织的意识形态工作专题培训，提高业务能力和综合素质。",
        2,
        DEPUTY,
        MORAL,
        "德育处主任",
        date(2019, 5, 11),
        date(2019, 5, 31),
    ),
    (
        8,
        C2,
        "积极参与“宣传思想文化工作创新奖”评比，及时总结上报抓意识形态工作的好经验好做法。",
        4,
        DEPUTY,
        OFFICE,
        "宣传干事",
        date(2019, 6, 11),
        date(2019, 6, 30),
    ),
    (
        9,
        C3,
        "强化督查检查，严禁各类宗教活动进入校园、严禁邪教组织向校园蔓延，加大排查力度。",
        2,
        VP_SAFETY,
        SECURITY,
        "保卫处处长",
        date(2019, 5, 11),
        date(2019, 5, 15),
    ),
    (
        10,
        C3,
        "加大科学文化宣传力度，利用校园文化阵地宣传科学意识和普法知识，提高师生对邪教的防范意识。",
        4,
        VP_MORAL,
        MORAL,
        "德育处主任",
        date(2019, 5, 11),
        LONG,
    ),
    (
        11,
        C4,
        "加强网络、橱窗、标语等文化阵地建设，以多样化宣传方式营造积极向上的校园文化氛围。",
        2,
        VP_MORAL,
        LEAGUE,
        "团委书记",
        date(2019, 5, 11),
        date(2019, 5, 25),
    ),
    (
        12,
        C4,
        "以育人为导向，加强师生社会主义核心价值观教育，着力打造独具特色的新时代校园文化。",
        4,
        VP_MORAL,
        MORAL,
        "德育处主任",
        date(2019, 5, 20),
        date(2019, 6, 30),
    ),
    (
        13,
        C5,
        "向局党委网络安全和信息化领导小组定期汇报工作情况，研究工作对策，强化工作效果。",
        4,
        PRINCIPAL,
        IT,
        "信息中心主任",
        date(2019, 5, 11),
        LONG,
    ),
    (
        14,
        C5,
        "配合教育系统开展净网、健网专项行动，营造格调清朗的网络空间。",
        2,
        VP_IT,
        IT,
        "信息中心主任",
        date(2019, 5, 11),
        date(2019, 5, 31),
    ),
    (
        15,
        C5,
        "建立健全网络舆情分析研判制度，加强舆情研判和有害信息管控。",
        2,
        PRINCIPAL,
        IT,
        "网络管理员",
        date(2019, 5, 11),
        date(2019, 5, 17),
    ),
    (16, C5, "强化舆情信息报送工作。", 2, VP_IT, OFFICE, "舆情信息员", date(2019, 5, 11), date(2019, 6, 2)),
    (
        17,
        C5,
        "推送网络评论员、舆情信息员参加教育局组织的培训，培养政治强、业务精、素质高的网络管理人才。",
        4,
        VP_IT,
        IT,
        "信息中心主任",
        date(2019, 6, 11),
        date(2019, 6, 30),
    ),
)

WEEKS = (date(2019, 5, 6), date(2019, 5, 13), date(2019, 5, 20), date(2019, 5, 27))

# What the office reported, week by week: id → (status, progress %, completed on, evidence, notes[, due if moved]).
# Each week lists only what changed since the week before; a measure never listed is 未开始, 0 %. Measure 2's
# deadline is pushed back in week 3; measure 15's progress goes backwards in week 4; measure 9 is reported done
# without evidence.
_D = date
_CHANGES: dict[date, dict[int, tuple]] = {
    WEEKS[0]: {
        1: ("进行中", 80, None, "", "领导小组名单已拟定，待党总支会议审定"),
        6: ("进行中", 60, None, "", "正在梳理宣传干部兼职情况"),
        10: ("长期坚持", None, None, "", ""),
        13: ("长期坚持", None, None, "", ""),
    },
    WEEKS[1]: {
        1: ("已完成", 100, _D(2019, 5, 8), "《关于成立意识形态工作领导小组的通知》、责任分工表", ""),
        2: ("进行中", 30, None, "", "工作要点修订稿起草中"),
        3: ("进行中", 20, None, "", "学习计划初稿已完成"),
        6: ("已完成", 100, _D(2019, 5, 10), "宣传干部岗位职责分工表", ""),
        9: ("进行中", 60, None, "", "已开展第一轮排查"),
        10: ("长期坚持", None, None, "", "利用宣传橱窗开展反邪教宣传"),
        11: ("进行中", 40, None, "", ""),
        14: ("进行中", 40, None, "", ""),
        15: ("进行中", 30, None, "", ""),
    },
    WEEKS[2]: {
        2: ("进行中", 50, None, "", "待党总支会议审议，完成时限调整至5月20日", _D(2019, 5, 20)),
        3: ("进行中", 50, None, "", ""),
        7: ("进行中", 30, None, "", "已报名参加教育局6月培训班"),
        9: ("已完成", 100, _D(2019, 5, 15), "", ""),
        11: ("进行中", 70, None, "", ""),
        12: ("进行中", 10, None, "", ""),
        13: ("长期坚持", None, None, "", "5月15日已向局党委网信领导小组汇报"),
        14: ("进行中", 80, None, "", ""),
        15: ("进行中", 50, None, "", "制度初稿已完成"),
    },
    WEEKS[3]: {
        2: ("进行中", 60, None, "", "待党总支会议审议", _D(2019, 5, 20)),
        3: ("进行中", 70, None, "", "已开展专题学习2次"),
        7: ("进行中", 50, None, "", "已报名参加教育局6月培训班"),
        11: ("进行中", 80, None, "", "橱窗已更新，网站专栏建设中"),
        12: ("进行中", 30, None, "", ""),
        14: ("已完成", 100, _D(2019, 5, 24), "专项行动工作总结及照片", ""),
        15: ("进行中", 40, None, "", "制度初稿经审议退回修改"),
    },
}


def reported(report_date: date) -> dict[int, tuple]:
    """Everything reported up to the week of `report_date`: each week's changes over the weeks before."""
    state: dict[int, tuple] = {}
    for week in WEEKS[: WEEKS.index(report_date) + 1]:
        state |= _CHANGES[week]
    return state


def week_tasks(report_date: date) -> list[dict]:
    """The ledger rows as the office kept them in the week of `report_date`."""
    rows, state = [], reported(report_date)
    for number, category, measure, phase, leader, department, owner, start, due in MEASURES:
        entry = state.get(number, ("未开始", 0, None, "", ""))
        status, progress, completed, evidence, notes = entry[:5]
        due = entry[5] if len(entry) > 5 else due
        rows.append(
            {
                "id": number,
                "category": category,
                "problem": PROBLEMS[category],
                "measure": measure,
                "phase": PHASES[phase - 1].name,
                "leader": leader,
                "department": department,
                "owner": owner,
                "start": start,
                "due": due,
                "status": status,
                "progress": progress,
                "completed_on": completed,
                "evidence": evidence,
                "notes": notes,
            }
        )
    return rows


def week_workbook(report_date: date) -> bytes:
    return ledger_workbook(LedgerSheet(week_tasks(report_date), PHASES, report_date, TITLE, UNIT, FOOTER))


_DEPARTMENTS = (
    OFFICE,
    MORAL,
    SECURITY,
    LEAGUE,
    IT,
    "教务处",
    "学生处",
    "总务处",
    "招生就业处",
    "机电专业部",
    "信息技术专业部",
    "财经商贸专业部",
    "旅游服务专业部",
    "工会",
    "团委",
)
_OWNERS = ("主任", "副主任", "干事", "专干", "科员")


def scaled_tasks(count: int, report_date: date = WEEKS[-1], seed: int = 1) -> list[dict]:
    """A ledger of `count` measures shaped like the seed plan (its categories, phases, roles), for benchmarks
    and load tests: measures cycle through the seed's, departments and owners vary, statuses follow the dates."""
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        _, category, measure, phase, leader, _, _, start, due = MEASURES[(number - 1) % len(MEASURES)]
        department = rng.choice(_DEPARTMENTS)
        if due != LONG:
            due = PHASES[phase - 1].start + (PHASES[phase - 1].end - PHASES[phase - 1].start) * rng.random()
            start = min(start, due)
        finished = isinstance(due, date) and due < report_date and rng.random() < 0.7
        progress = 100 if finished else (0 if due != LONG and start > report_date else rng.choice((0, 20, 40, 60, 80)))
        rows.append(
            {
                "id": number,
                "category": category,
                "measure": f"{measure}（第{number}项）",
                "phase": PHASES[phase - 1].name,
                "leader": leader,
                "department": department,
                "owner": department + rng.choice(_OWNERS),
                "start": start,
                "due": due,
                "status": "已完成"
                if finished
                else ("长期坚持" if due == LONG else ("进行中" if progress else "未开始")),
                "progress": None if due == LONG else progress,
                "completed_on": due if finished else None,
                "evidence": "会议记录、照片" if finished and rng.random() < 0.9 else "",
                "notes": "",
            }
        )
    return rows


def departments_workbook(count: int, sheets: int, report_date: date = WEEKS[-1]) -> bytes:
    """The scaled ledger of `count` measures kept as `sheets` tasks sheets of equal size, one per department."""
    rows = scaled_tasks(count, report_date)
    size = count // sheets
    parts = [
        LedgerSheet(
            rows[i * size : (i + 1) * size],
            PHASES,
            report_date,
            TITLE,
            UNIT,
            merge_categories=False,
            sheet_name=f"部门{i + 1}",
        )
        for i in range(sheets)
    ]
    return ledger_workbook(parts[0], with_help=False, more=parts[1:])


def scaled_workbook(count: int, report_date: date = WEEKS[-1], seed: int = 1) -> bytes:
    return ledger_workbook(
        LedgerSheet(
            scaled_tasks(count, report_date, seed), PHASES, report_date, TITLE, UNIT, FOOTER, merge_categories=False
        ),
        with_help=False,
    )


SAMPLE_FILE = "sample_ledger.xlsx"
TEMPLATE_FILE = "template.xlsx"
HISTORY_DIR = "sample_history"


def history_files() -> dict[str, bytes]:
    """File name → bytes of the four weekly sample versions."""
    return {f"{HISTORY_DIR}/整改台账_{day.isoformat()}.xlsx": week_workbook(day) for day in WEEKS}


def write_data(folder: Path) -> list[Path]:
    """Write the sample ledger, its weekly history and the blank template into `folder`."""
    files = {SAMPLE_FILE: week_workbook(WEEKS[-1]), TEMPLATE_FILE: template_workbook(PHASES), **history_files()}
    written = []
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


SAMPLE_UPLOADER = DEMO_UPLOADER


def import_history(store: Store, data_dir: Path) -> int:
    """Publish the bundled weekly sample ledgers, oldest first, as the demo plan (示例); returns how many versions
    were new. The store remembers the import, so deleting the demo plan does not bring it back."""
    plan = store.plan_named(DEMO_PLAN_NAME)
    if plan is None:
        try:
            plan = store.create_plan(
                DEMO_PLAN_NAME, unit=SCHOOL, demo=True, created_at=datetime(2019, 5, 6, 17, 0), phases=PHASES
            )
        except StoreError as problem:  # another instance, starting at the same moment, created it just now
            plan = store.plan_named(DEMO_PLAN_NAME) if problem.code == "store.plan_exists" else None
            if plan is None:
                raise
    created = 0
    for path in sorted((data_dir / HISTORY_DIR).glob("*.xlsx")):
        files = [(path.name, path.read_bytes())]
        ledger = check_upload(store, files, received_on=date(2019, 5, 27), plan_id=plan.id)
        day = ledger.report_date
        result = publish(
            store,
            files,
            ledger,
            plan=plan.id,
            uploaded_by=SAMPLE_UPLOADER,
            uploaded_at=datetime(day.year, day.month, day.day, 17, 0),
        )
        created += bool(result and result.created)
    store.mark_sample_imported()
    return created


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data"
    for path in write_data(target):
        print(path)
