"""Figures across versions: the versions table and the trend against the plan's pace."""

import pandas as pd
import pytest

from ledger import metrics
from ledger.sample import PHASES, history_files
from ledger.trends import trend_points, version_table
from tests.sheets import load

WEEKS = [load(item) for item in sorted(history_files().items())]
HISTORY = pd.concat([w.tasks.assign(version_id=i + 1, report_date=w.report_date) for i, w in enumerate(WEEKS)])


def test_version_table_has_each_versions_completion_and_overdue_on_its_own_report_date():
    table = version_table(HISTORY)
    assert table["tasks"].tolist() == [17, 17, 17, 17]
    assert [round(v, 1) for v in table["completion_pct"]] == [0.0, 13.3, 20.0, 26.7]
    assert table["overdue"].tolist() == [0, 0, 1, 4]


def test_trend_has_an_overall_series_with_the_planned_pace_and_one_per_category():
    points = trend_points(HISTORY, PHASES, "全部")
    overall = points[points["series"] == "全部"]
    assert [round(v, 1) for v in overall["completion_pct"]] == [0.0, 13.3, 20.0, 26.7]
    assert overall["planned_pct"].is_monotonic_increasing
    assert points["series"].nunique() == 6


def test_planned_pace_is_the_mean_share_of_phase_time_gone():
    last = WEEKS[-1]
    finishing = last.tasks[last.tasks["status"] != "ongoing"]
    by_phase = {p.name: metrics.elapsed_pct(p, last.report_date) for p in PHASES}
    expected = finishing["phase"].map(by_phase).mean()
    assert metrics.planned_pct(PHASES, last.tasks, last.report_date) == pytest.approx(expected)
