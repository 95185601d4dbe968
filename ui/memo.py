"""Figures and frames derived from a version, computed once and shared by every session (see `memo`)."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

MEMO_ENTRIES = 1024  # derived figures and frames kept, across sessions (each a few KB to a few MB)
T = TypeVar("T")
_memo: OrderedDict[tuple, tuple[weakref.ref, object]] = OrderedDict()
_owners: set[int] = set()  # ids of the owners whose going is watched
_memo_lock = threading.RLock()  # re-entered when dropping a value lets an owner go


def _forget(owner_id: int) -> None:
    with _memo_lock:
        _owners.discard(owner_id)
        for key in [key for key in _memo if key[0] == owner_id]:
            del _memo[key]


def memo(owner: object, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()` once per `owner` object and `key`, then shared by every session and run while the owner lives
    (and until it falls out of the MEMO_ENTRIES kept): what pages derive from a version's ledger — the very object
    ui.source caches — or from a frame derived that way, instead of deriving it again on each run. Callers read
    the value and never change it."""
    full = (id(owner), *key)
    with _memo_lock:
        found = _memo.get(full)
        if found is not None and found[0]() is owner:
            _memo.move_to_end(full)
            return found[1]  # type: ignore[return-value]
    value = compute()
    with _memo_lock:
        if full[0] not in _owners:  # its entries go with it: another object may get its id
            _owners.add(full[0])
            weakref.finalize(owner, _forget, full[0])
        _memo[full] = (weakref.ref(owner), value)
        while len(_memo) > MEMO_ENTRIES:
            _memo.popitem(last=False)
    return value
