"""Find occasions (meetings, forums, publications, signings, visits …) with the grammar in
``extractors/data/occasions.yaml``.

The grammar is data: named sub-patterns, and rules built from them, each with a kind and
a name template.  This module only compiles it and turns matches into canonical names:
ordinals become Chinese numerals (第8次 → 第八次, 19届5中全会 → 十九届五中全会), the
modifier of a generic occasion noun ("科学家座谈会") is trimmed on the left at the words
in ``boundaries.yaml`` (在, 召开, 主持 …), and aliases are resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ptkg.extractors import numerals
from ptkg.extractors.kinds import kind_ids
from ptkg.extractors.lexicon import Lexicon, alias_map
from ptkg.extractors.mentions import _alternation
from ptkg.extractors.model import Mention


@dataclass(frozen=True)
class _Rule:
    id: str
    kind: str
    pattern: re.Pattern[str]
    name: str
    spec: dict


@lru_cache(maxsize=4)
def _grammar(lex: Lexicon) -> tuple[list[_Rule], dict[str, str], dict[str, str]]:
    spec = lex.occasions
    subs = dict(spec.get("patterns", {}))
    any_alias = alias_map(lex.organizations)
    meeting_alias = alias_map([o for o in lex.organizations if o.meeting])
    subs["ORG"] = _alternation(list(meeting_alias))
    subs["ORGSESSION"] = _alternation([a for a in meeting_alias if a.endswith(spec["session_suffix"])])
    subs["ORGANY"] = _alternation(list(any_alias))
    rules = []
    for r in spec["rules"]:
        declared = set(r.get("nouns", {})) if r.get("trim_modifier") else {r["kind"]}
        if not declared <= kind_ids():
            raise ValueError(f"occasions.yaml rule {r['id']}: kind {sorted(declared - kind_ids())} not in kinds.yaml")
        source = r["match"]
        for key, value in subs.items():
            source = source.replace("{" + key + "}", f"(?:{value})")
        rules.append(_Rule(r["id"], r["kind"], re.compile(source), r["name"], r))
    return rules, meeting_alias, any_alias


@lru_cache(maxsize=4)
def _trim_words(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str], str]:
    b = lex.boundaries
    words = [w for group in b["left_stop"].values() for w in group]
    before_verb = b.get("left_stop_before_verb", [])
    verbs = _alternation(b["left_stop"]["verbs"])
    verb_only = re.compile(f"(?:{_alternation(before_verb)})(?={verbs})") if before_verb else re.compile("(?!)")
    return re.compile(f"(?:{_alternation(words)})"), verb_only, b["never_first"]


def _trim_modifier(mod: str, lex: Lexicon) -> str:
    """Cut the modifier of an occasion noun after the right-most boundary word (a word that is a verb only before
    another verb, 组织召开, cuts only there)."""
    stop, verb_only, never_first = _trim_words(lex)
    cut = 0
    for pattern in (stop, verb_only):
        for m in pattern.finditer(mod):
            cut = max(cut, m.end())
    mod = mod[cut:]
    mod = re.sub(r"^(?:[0-9]+[年月日号]?)+", "", mod)  # the date the occasion is given, not its name
    while mod and mod[0] in never_first:
        mod = mod[1:]
    return mod


_EDITION = re.compile(r"^(第[0-9零〇一二两三四五六七八九十百]+届|首届)")


def _num(s: str | None) -> str:
    return numerals.canonical(s) if s else ""


def _name(
    rule: _Rule, m: re.Match[str], meeting_alias: dict[str, str], any_alias: dict[str, str], lex: Lexicon
) -> tuple[str, str, int]:
    """Canonical name, kind and start offset for one match ('' name = reject)."""
    g = {k: v for k, v in m.groupdict().items() if v}
    kind = rule.kind
    if rule.spec.get("names_body"):
        org = lex.organization(meeting_alias[g["org"]])
        if rule.name != "{meeting}":  # the body's other occasions ("……第二十二次集体学习"): named after the body
            ordinal = f"第{_num(g['ord'])}次" if g.get("ord") else ""
            return rule.name.format(body=org.name if org else g["org"], ord=ordinal), kind, m.start()
        base = org.meeting if org else g["org"] + "会议"
        if g.get("ord"):
            base = base[: -len("会议")] + f"第{_num(g['ord'])}次会议" if base.endswith("会议") else base
        return base, kind, m.start()
    if rule.spec.get("trim_modifier"):
        raw_mod = g.get("mod", "")
        mod = _trim_modifier(raw_mod, lex)
        if len(mod) < 2:
            return "", kind, m.start()
        for k, nouns in rule.spec.get("nouns", {}).items():
            if g["noun"] in nouns:
                kind = k
        start = m.end("mod") - len(mod)
        edition = g.get("edition", "") if mod == raw_mod else ""
        if edition:
            start = m.start("edition")
        elif e := _EDITION.match(mod):  # the edition was read as part of the modifier
            edition, mod = e.group(1), mod[e.end():]
        if len(mod) < 2:
            return "", kind, m.start()
        if edition:
            if edition.startswith("第"):
                edition = f"第{_num(edition[1:-1])}届"
        return f"{edition}{mod}{g['noun']}", kind, start
    needs = rule.spec.get("needs_before")
    if needs:  # the rule only holds after one of these words earlier in the same sentence
        head = m.string[max(0, m.start() - 80):m.start()]
        head = re.split(r"[。！？!?；;\n]", head)[-1]
        if not re.search(needs, head):
            return "", kind, m.start()
    values = {
        "session": _num(g.get("session") or g.get("session2")),
        "plenum": _num(g.get("plenum") or g.get("plenum2")),
        "series": rule.spec.get("aliases", {}).get(g.get("series", ""), g.get("series", "")),
        "title": g.get("title", ""),
        "place": g.get("place", ""),
        "noun": g.get("noun", ""),
        "verb": g.get("verb", ""),
        "orgname": any_alias.get(g.get("org", ""), g.get("org", "")),
    }
    try:
        return rule.name.format(**values), kind, m.start()
    except KeyError:
        return "", kind, m.start()


def find_occasions(text: str, lex: Lexicon) -> list[Mention]:
    """Occasion mentions, non-overlapping; where rules overlap the longer match wins."""
    rules, meeting_alias, any_alias = _grammar(lex)
    found: list[tuple[int, int, Mention]] = []
    for rule in rules:
        for m in rule.pattern.finditer(text):
            name, kind, start = _name(rule, m, meeting_alias, any_alias, lex)
            if not name:
                continue
            organizer = rule.spec.get("organizer") or rule.spec.get("organizers", {}).get(name, "")
            found.append((start, m.end(), Mention("occasion", start, m.end(), name, kind=kind, source=rule.id,
                                                  organizer=organizer, names_body=bool(rule.spec.get("names_body")),
                                                  dated_inside=bool(rule.spec.get("dated_inside")),
                                                  named_after_actor=bool(rule.spec.get("named_after_actor")))))
    titles = [m.span() for m in re.finditer(lex.occasions["title_span"], text)]
    found = [f for f in found if f[2].source == "titled-document"
             or not any(a < f[0] and f[1] < b for a, b in titles)]
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[Mention] = []
    for a, b, mention in sorted(found, key=lambda x: (-(x[1] - x[0]), x[0])):
        if all(b <= o.start or a >= o.end for o in out):
            out.append(mention)
    return sorted(out, key=lambda o: o.start)
