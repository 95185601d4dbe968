"""The evidence and inspection pages' Streamlit side: the unit and measure on
screen, a measure's files with previews drawn on the server and downloads made and audited at the click, attaching
files and a zip, and the review buttons. Every action asks ui.access again before it acts."""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import date, datetime

import pandas as pd
import streamlit as st

from ledger import closure, config, evidence
from ledger.intake import EVIDENCE_KINDS, Preview, Refused, evidence_preview
from ledger.store import STORE_ERRORS
from ledger.text import minute_text
from ui import access, source
from ui.i18n import lang, literal, t, tl
from ui.state import View
from ui.widgets import file_uploader

MEASURE_KEY = "measure"  # ?measure=序号: each measure's evidence opens at its own address
FLASH_KEY = "_evidence_flash"
OCTET = "application/octet-stream"  # never shown inline by a browser: downloaded, whatever the file is


def slug(measure: evidence.Measure) -> str:
    """A measure's part of its widgets' keys (and so of their CSS classes): its unit and identity, hashed."""
    return hashlib.sha256(f"{measure.unit_id}|{measure.key}".encode()).hexdigest()[:12]


def limits() -> evidence.EvidenceLimits:
    return config.evidence_limits(os.environ, source.secrets())


def unit_or_stop(v: View) -> int | None:
    """The unit whose measures the page shows: evidence and decisions belong to one unit's measures."""
    if v.source.combined:
        st.info(t("evidence.pick_unit"), icon=":material/info:")
        st.stop()
    return v.source.unit_id


@st.cache_resource(show_spinner=False, max_entries=32)
def _measures(url: str, plan_id: int, unit_id: int | None, stamp: str) -> tuple[evidence.Measure, ...]:
    return tuple(closure.measures(source.store_at(url), plan_id, unit_id))


def measures(v: View, unit_id: int | None) -> tuple[evidence.Measure, ...]:
    """The measures of the newest version of the plan (unit), as decisions and evidence name them."""
    return _measures(source.db_url(), v.source.plan.id, unit_id, v.source.stamp)


def _show_measure_in_url(key: str, options: dict[str, evidence.Measure]) -> None:
    chosen = options.get(st.session_state.get(key))
    if chosen is not None:
        st.query_params[MEASURE_KEY] = chosen.id


def pick_measure(found: tuple[evidence.Measure, ...], key: str, label: str) -> evidence.Measure | None:
    """A measure from a list of the newest version's (?measure=序号 opens one)."""
    options = {m.key: m for m in found}
    if st.session_state.get(key) not in options:
        asked = st.query_params.get(MEASURE_KEY, "")
        st.session_state[key] = next((m.key for m in found if m.id == asked), None)
    chosen = st.selectbox(
        label,
        list(options),
        key=key,
        index=None,
        placeholder=t("evidence.pick_placeholder"),
        format_func=lambda k: literal(f"{options[k].id} {options[k].text[:60]}"),
        on_change=_show_measure_in_url,
        args=(key, options),
    )
    return options.get(chosen) if chosen is not None else None


@st.cache_resource(show_spinner=False, max_entries=64)
def _preview(url: str, evidence_id: int, kind: str) -> Preview | Refused:
    """A stored file's preview: drawn once, in a reading worker, from the bytes as stored (a file never changes)."""
    return evidence_preview(evidence.content(source.store_at(url), evidence_id), kind, limits())


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def files_panel(measure: evidence.Measure, key: str) -> list[evidence.Evidence]:
    """A measure's evidence files: name, size, who and when; for those who may open them, a preview drawn on the
    server (images and PDFs) and a download made and audited at the click."""
    found = evidence.files(source.store(), measure.plan_id, measure.unit_id, measure.key)
    if not found:
        st.caption(t("evidence.none"))
        return found
    may_open = access.allowed("evidence_files")
    url = source.db_url()
    for item in found:
        with st.container(border=True, key=f"{key}_file_{item.id}"):
            st.markdown(f"**{literal(item.name)}**")
            st.caption(
                tl(
                    "evidence.file_line",
                    kind=EVIDENCE_KINDS[item.kind].label if item.kind in EVIDENCE_KINDS else item.kind,
                    size=_size(item.size),
                    by=item.by,
                    at=minute_text(item.at),
                )
                + (" · " + t("evidence.stripped") if item.stripped else "")
            )
            if not may_open:
                continue
            if EVIDENCE_KINDS.get(item.kind) and EVIDENCE_KINDS[item.kind].preview:
                with st.expander(t("evidence.preview"), icon=":material/visibility:"):
                    shown = _preview(url, item.id, item.kind)
                    if isinstance(shown, Refused):
                        st.caption(literal(shown.text(lang(), item.name)))
                    else:
                        st.image(list(shown.images), caption=None, width="stretch", alt=literal(item.name))
                        if shown.pages > len(shown.images):
                            st.caption(t("evidence.more_pages", shown=len(shown.images), pages=shown.pages))
            st.download_button(
                t("evidence.download"),
                data=access.audited_data(
                    lambda i=item.id: evidence.content(source.store_at(url), i),
                    f"evidence {item.id}: {item.name}",
                    action="evidence_files",
                ),
                file_name=item.name,
                mime=OCTET,
                on_click="ignore",
                icon=":material/download:",
                key=f"{key}_download_{item.id}",
            )
    return found


def flash() -> None:
    """The outcome of the last action, shown once after its rerun."""
    found = st.session_state.pop(FLASH_KEY, None)
    if found is None:
        return
    kind, lines = found
    text = "\n\n".join(lines)
    {"success": st.success, "error": st.error, "warning": st.warning}[kind](text)


def _attach(measure: evidence.Measure, uploader: str) -> None:
    if not access.still_allowed("evidence", measure.unit_id, measure.plan_id):
        st.session_state[FLASH_KEY] = ("error", [t("account.forbidden")])
        return
    files = st.session_state.get(uploader) or []
    if not files:
        st.session_state[FLASH_KEY] = ("warning", [t("evidence.choose_files")])
        return
    try:
        outcome = evidence.add_bytes(
            source.store(),
            measure,
            [(f.name, f.getbuffer()) for f in files],  # Streamlit's own bytes, not a copy
            by=access.who(),
            at=datetime.now(),
            address=access.client_address(),
            limits=limits(),
        )
    except evidence.EvidenceError as problem:
        st.session_state[FLASH_KEY] = ("error", [t(problem.code, **problem.params)])
        return
    except STORE_ERRORS as problem:
        st.session_state[FLASH_KEY] = ("error", [source.problem_text(problem)])
        return
    if outcome.refused:
        lines = [literal(r.text(lang(), name)) for name, r in outcome.refused]
        st.session_state[FLASH_KEY] = ("error", [*lines, t("cli.evidence_nothing_stored")])
        return
    lines = [tl("evidence.added", n=len(outcome.added.files), measure=measure.id)]
    lines += [tl("cli.evidence_duplicate", name=name) for name in outcome.added.duplicates]
    st.session_state[FLASH_KEY] = ("success", lines)
    st.session_state[uploader + "_round"] = st.session_state.get(uploader + "_round", 0) + 1


def attach_panel(measure: evidence.Measure) -> None:
    """Attach files to the measure (editors of its unit, admins): checked through the guarded path on save."""
    if not access.allowed("evidence", measure.unit_id, measure.plan_id):
        return
    base = f"evidence_upload_{slug(measure)}"
    uploader = f"{base}_{st.session_state.get(base + '_round', 0)}"
    current = limits()
    file_uploader(
        t("evidence.attach"),
        uploader,
        current.max_mib,
        accept_multiple_files=True,
        help=t("evidence.attach_help", mib=current.max_mib, files=current.max_files),
    )
    st.button(
        t("evidence.save", measure=measure.id),
        on_click=_attach,
        args=(measure, uploader),
        type="primary",
        icon=":material/attach_file:",
        key=f"{base}_save",
        # usable once the chosen files have reached the server: a click while they are still uploading would
        # run with none of them and the rerun after the upload would wipe its message
        disabled=not st.session_state.get(uploader),
    )


def _import(found: tuple[evidence.Measure, ...], uploader: str, plan_id: int, unit_id: int | None) -> None:
    if not access.still_allowed("evidence", unit_id, plan_id):
        st.session_state[FLASH_KEY] = ("error", [t("account.forbidden")])
        return
    chosen = st.session_state.get(uploader)
    if chosen is None:
        return
    with tempfile.TemporaryDirectory(prefix="ledger-zip-upload-") as folder:
        path = os.path.join(folder, "evidence.zip")
        with open(path, "wb") as out:
            out.write(chosen.getvalue())
        try:
            result = evidence.import_zip(
                source.store(),
                found,
                path,
                by=access.who(),
                at=datetime.now(),
                address=access.client_address(),
                limits=limits(),
            )
        except evidence.EvidenceError as problem:
            st.session_state[FLASH_KEY] = ("error", [t(problem.code, **problem.params)])
            return
        except STORE_ERRORS as problem:  # a closed plan among them (store.plan_closed)
            st.session_state[FLASH_KEY] = ("error", [source.problem_text(problem)])
            return
    if result.refusal is not None:
        st.session_state[FLASH_KEY] = (
            "error",
            [literal(result.refusal.text(lang(), chosen.name))],
        )
        return
    lines = [tl("cli.evidence_imported", n=len(result.added.files), skipped=len(result.skipped))]
    lines += [f"{literal(e.path)}：{t(e.reason)}" for e in result.skipped]
    st.session_state[FLASH_KEY] = ("warning" if result.skipped else "success", lines)


def import_panel(found: tuple[evidence.Measure, ...], plan_id: int, unit_id: int | None) -> None:
    """A zip of evidence, one folder or name prefix per 序号 (editors, admins)."""
    if not access.allowed("evidence", unit_id, plan_id):
        return
    with st.expander(t("evidence.import"), icon=":material/folder_zip:"):
        st.caption(t("evidence.import_help", mib=limits().max_mib))
        uploader = "evidence_zip"
        file_uploader(t("evidence.zip"), uploader, limits().max_mib, ["zip"])
        st.button(
            t("evidence.import_button"),
            on_click=_import,
            args=(found, uploader, plan_id, unit_id),
            key="evidence_zip_go",
            disabled=st.session_state.get(uploader) is None,  # as the save button above: once the zip is here
        )


def _decide(measure: evidence.Measure, action: str, reason_key: str | None) -> None:
    needed = "review" if action in (closure.APPROVE, closure.RETURN) else "claim"
    if not access.still_allowed(needed, measure.unit_id, measure.plan_id):
        st.session_state[FLASH_KEY] = ("error", [t("account.forbidden")])
        return
    reason = st.session_state.get(reason_key, "") if reason_key else ""
    try:
        review = closure.decide(
            source.store(),
            measure,
            action,
            by=access.who(),
            at=datetime.now(),
            reason=reason,
            address=access.client_address(),
        )
    except closure.ClosureError as problem:
        st.session_state[FLASH_KEY] = ("error", [tl(problem.code, **{"measure": measure.id, **problem.params})])
        return
    except STORE_ERRORS as problem:  # a closed plan among them (store.plan_closed)
        st.session_state[FLASH_KEY] = ("error", [source.problem_text(problem)])
        return
    if reason_key:
        st.session_state[reason_key] = ""
    state = t(f"review.{review.state or 'open'}")
    st.session_state[FLASH_KEY] = ("success", [tl(f"cli.closure_{action}", measure=measure.id, state=state)])


def review_state(measure: evidence.Measure) -> closure.Review:
    found = closure.reviews(source.store(), measure.plan_id, measure.unit_id, keys=[measure.key])
    return found.get(measure.key, closure.Review())


def state_line(review: closure.Review) -> None:
    """The measure's review state in words: who and when, and the reason of a return."""
    words = t(f"review.{review.state or 'open'}")
    if review.by and review.at:
        words += " · " + tl("evidence.decided", by=review.by, at=minute_text(review.at))
    if review.state == closure.RETURNED:
        st.error(tl("evidence.returned_reason", state=words, reason=review.reason), icon=":material/undo:")
    elif review.state == closure.VERIFIED:
        st.success(words, icon=":material/verified:")
    else:
        st.info(words, icon=":material/pending:")
    if review.lost:
        st.warning(t("evidence.lost"), icon=":material/warning:")


def resubmit_button(measure: evidence.Measure, review: closure.Review) -> None:
    """A returned claim re-submitted (typically after adding evidence): editors of its unit, admins."""
    if review.state == closure.RETURNED and access.allowed("claim", measure.unit_id, measure.plan_id):
        st.button(
            t("evidence.resubmit"),
            on_click=_decide,
            args=(measure, closure.REQUEST, None),
            icon=":material/replay:",
            key=f"resubmit_{slug(measure)}",
        )


def review_buttons(measure: evidence.Measure, review: closure.Review) -> None:
    """Approve or return (inspectors, admins): a claim, or a verified measure again after a spot check."""
    if review.state not in (closure.CLAIMED, closure.VERIFIED) or not access.allowed("review"):
        return
    reason_key = f"reason_{slug(measure)}"
    st.text_area(t("evidence.reason"), key=reason_key, max_chars=closure.MAX_REASON, height=80)
    left, right = st.columns(2)
    left.button(
        t("evidence.approve") if review.state == closure.CLAIMED else t("evidence.confirm"),
        on_click=_decide,
        args=(measure, closure.APPROVE, None),
        type="primary",
        icon=":material/task_alt:",
        key=f"approve_{slug(measure)}",
        width="stretch",
    )
    right.button(
        t("evidence.return"),
        on_click=_decide,
        args=(measure, closure.RETURN, reason_key),
        icon=":material/undo:",
        key=f"return_{slug(measure)}",
        width="stretch",
    )


def items_frame(items, with_reason: bool = False) -> pd.DataFrame:
    """Inspection items as a table: 序号, measure, state, files, since."""
    rows = [
        {
            t("field.id"): i.label,
            t("field.measure"): i.measure,
            t("evidence.state"): t(f"review.{i.state}"),
            t("evidence.files"): i.evidence,
            t("evidence.since"): minute_text(i.review.at) if i.review.at else "",
            **({t("evidence.reason"): i.review.reason} if with_reason else {}),
        }
        for i in items
    ]
    return pd.DataFrame(rows)


@st.cache_resource(show_spinner=False, max_entries=16)
def _inspection(
    url: str, plan_id: int, units: tuple[tuple[int | None, str], ...], stamp: str, week: date, share: float, scope: int
):
    from ledger.inspection import inspection

    store = source.store_at(url)
    return inspection(store, plan_id, units, week=week, at=datetime.now(), share=share, scope=scope)


def inspection_of(v: View, week: date):
    """The inspection of the plan (the unit on screen, or all units together), once per change and week."""
    # all units: each measure under its unit's name; one unit (or none): its measures go by their 序号 alone
    units = tuple((u.id, u.name) for u in v.source.units) if v.source.combined else ((v.source.unit_id, ""),)
    share = config.spot_check_share(os.environ, source.secrets())
    scope = v.source.unit_id or 0
    return _inspection(source.db_url(), v.source.plan.id, units, v.source.stamp, week, share, scope)


def item_measures(plan_id: int, items) -> tuple[evidence.Measure, ...]:
    """The inspection's items as the measures decisions and evidence name (the unit in front of the 序号)."""
    return tuple(evidence.Measure(plan_id, i.unit_id, i.key, i.label, i.measure) for i in items)
