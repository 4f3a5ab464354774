"""Event kinds, declared once in ``extractors/data/kinds.yaml``.

Why a module: the grammar, the graph's vocabulary check, merge and the page all need the same list of kinds
(and they drifted apart when each kept its own).  Plain functions over the loaded data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Kind:
    id: str
    en: str
    zh: str
    colour: str
    joins: frozenset[str]


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[Kind, ...], str]:
    spec = yaml.safe_load(resources.files("ptkg.extractors").joinpath("data", "kinds.yaml").read_text("utf-8"))
    kinds = tuple(Kind(k["id"], k["en"], k["zh"], k["colour"], frozenset(k.get("joins", ()))) for k in spec["kinds"])
    return kinds, spec["fallback"]


def kinds() -> tuple[Kind, ...]:
    """Every kind, in the page's lane order."""
    return _load()[0]


def kind_ids() -> frozenset[str]:
    return frozenset(k.id for k in kinds())


def fallback() -> str:
    """The kind of an occasion whose kind is not known (it may be the same occasion as any kind)."""
    return _load()[1]


def known_or_fallback(kind: str) -> str:
    return kind if kind in kind_ids() else fallback()


@lru_cache(maxsize=64)
def kinds_agree(a: str, b: str) -> bool:
    """May a mention of kind ``a`` and one of kind ``b`` be the same occasion?"""
    if a == b or fallback() in (a, b):
        return True
    by_id = {k.id: k for k in kinds()}
    return (a in by_id and b in by_id[a].joins) or (b in by_id and a in by_id[b].joins)
