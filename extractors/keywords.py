"""The keywords component: the noun words of each event sentence, counted as jieba's TF-IDF counts them.

Why in the extraction: tokenizing is the costly half of keyword discovery (jieba's POS tagger, ~90k
characters/s), and per file it runs in the workers and is cached with the rest of the file's
extraction.  Which words the corpus stresses is decided later, over all files at once
(``ptkg.graph.keywords``), from these counts — as ``jieba.analyse.extract_tags`` would over the joined
sentences (jieba cuts at every line break, so cutting sentence by sentence gives the same words).

Why not ``posseg.cut`` itself: four fifths of its time is the POS-HMM's Viterbi over runs of characters
the dictionary does not know (新冠, 冷链 …), and the same runs come back in sentence after sentence.
:func:`_tagged` walks the sentence as ``jieba.posseg.POSTokenizer.cut`` (HMM on) does and asks jieba's
own HMM step once per distinct run, so the words and tags are the tagger's, computed once.
"""

from __future__ import annotations

from collections.abc import Iterator

#: jieba POS tags kept: nouns and other proper nouns (not person/place names: nr, ns)
NOUN_TAGS = frozenset({"n", "nz"})

#: distinct unknown runs remembered with their HMM words (a bound, not a tuning: ~40 bytes a run)
_MEMO_MAX = 500_000
_memo: dict[str, tuple[tuple[str, str], ...]] = {}


def _tfidf():  # noqa: ANN202 - jieba's default TF-IDF object (idf table, stop words)
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)  # jieba prints its dictionary loading on stderr otherwise
    return jieba.analyse.default_tfidf


def _tagged(sentence: str) -> Iterator[tuple[str, str]]:
    """(word, tag) of the Han/alphanumeric blocks of ``sentence``, as ``POSTokenizer.cut(HMM=True)`` gives
    them (the other blocks are spaces, digits and symbols, tagged x/m/eng: never nouns, so not walked)."""
    from jieba import posseg

    tagger = _tfidf().postokenizer
    tagger.makesure_userdict_loaded()
    tokenizer, tags = tagger.tokenizer, tagger.word_tag_tab
    freq = tokenizer.FREQ

    def unknown(buf: str) -> tuple[tuple[str, str], ...]:
        got = _memo.get(buf)
        if got is None:
            if len(_memo) >= _MEMO_MAX:
                _memo.clear()
            got = _memo[buf] = tuple(_cut_detail(buf))
        return got

    def flush(buf: str) -> Iterator[tuple[str, str]]:
        if len(buf) == 1:
            yield buf, tags.get(buf, "x")
        elif not freq.get(buf):
            yield from unknown(buf)
        else:
            for ch in buf:
                yield ch, tags.get(ch, "x")

    for blk in posseg.re_han_internal.split(sentence):
        if not blk or not posseg.re_han_internal.match(blk):
            continue
        dag = tokenizer.get_DAG(blk)
        route: dict[int, tuple[float, int]] = {}
        tokenizer.calc(blk, dag, route)
        x, n, buf = 0, len(blk), ""
        while x < n:
            y = route[x][1] + 1
            if y - x == 1:
                buf += blk[x]
            else:
                if buf:
                    yield from flush(buf)
                    buf = ""
                word = blk[x:y]
                yield word, tags.get(word, "x")
            x = y
        if buf:
            yield from flush(buf)


def _cut_detail(buf: str) -> Iterator[tuple[str, str]]:
    """``POSTokenizer.__cut_detail``: a run the dictionary does not know, cut and tagged by the POS-HMM."""
    from jieba import posseg

    for blk in posseg.re_han_detail.split(buf):
        if posseg.re_han_detail.match(blk):
            yield from _cut_hmm(blk)
            continue
        for x in posseg.re_skip_detail.split(blk):
            if x:
                yield x, "m" if posseg.re_num.match(x) else "eng" if posseg.re_eng.match(x) else "x"


def _cut_hmm(sentence: str) -> Iterator[tuple[str, str]]:
    """``POSTokenizer.__cut``: the words of a Han run along the Viterbi path of (B/M/E/S, tag) states."""
    route = _viterbi(sentence)
    begin, nexti = 0, 0
    for i, char in enumerate(sentence):
        pos, tag = route[i]
        if pos == "B":
            begin = i
        elif pos == "E":
            yield sentence[begin:i + 1], tag
            nexti = i + 1
        elif pos == "S":
            yield char, tag
            nexti = i + 1
    if nexti < len(sentence):
        yield sentence[nexti:], route[nexti][1]


def _into() -> dict:  # state → {state before: log transition probability}, from jieba's table
    if not _INTO:
        from jieba.posseg import trans_P

        for a, row in trans_P.items():
            for b, p in row.items():
                _INTO.setdefault(b, {})[a] = p
    return _INTO


_INTO: dict = {}


def _viterbi(obs: str) -> list[tuple[str, str]]:
    """``jieba.posseg.viterbi.viterbi``'s path, the same floats summed in the same order.

    Why not jieba's: for each state it takes the best of every state before, ~100 sums a character of
    which all but a few are impossible transitions (``-inf``, never the best: each state kept has a
    possible one, as the candidate states are those the states before can reach).  Here only the
    possible ones are summed; ties go to the greater state as ``max`` over (prob, state) does there.
    """
    from jieba.posseg import char_state_tab_P as states
    from jieba.posseg import emit_P, start_P, trans_P
    from jieba.posseg.viterbi import MIN_FLOAT, MIN_INF

    into = _into()
    all_states = trans_P.keys()
    v = {y: start_P[y] + emit_P[y].get(obs[0], MIN_FLOAT) for y in states.get(obs[0], all_states)}
    paths = [dict.fromkeys(v, "")]
    for t in range(1, len(obs)):
        prev = [x for x in paths[-1] if trans_P[x]]
        expect = {y for x in prev for y in trans_P[x]}
        obs_states = set(states.get(obs[t], all_states)) & expect
        if not obs_states:
            obs_states = expect if expect else set(all_states)
        prev_set = set(prev)
        c = obs[t]
        nv, back = {}, {}
        for y in obs_states:
            em = emit_P[y].get(c, MIN_FLOAT)
            before = into.get(y, {})
            able = prev_set & before.keys()
            if able:
                prob, state = max((v[y0] + before[y0] + em, y0) for y0 in able)
            else:  # no possible transition: jieba's sums, all -inf
                prob, state = max((v[y0] + trans_P[y0].get(y, MIN_INF) + em, y0) for y0 in prev)
            nv[y], back[y] = prob, state
        v = nv
        paths.append(back)
    _, state = max((v[y], y) for y in paths[-1])
    route: list[tuple[str, str]] = [("", "")] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = paths[i][state]
    return route


def sentence_nouns(sentence: str) -> tuple[str, ...]:
    """The words of ``sentence`` that ``extract_tags(allowPOS=NOUN_TAGS)`` would count, in order."""
    if not sentence:
        return ()
    stop = _tfidf().stop_words
    return tuple(w for w, flag in _tagged(sentence)
                 if flag in NOUN_TAGS and len(w.strip()) >= 2 and w.lower() not in stop)


def idf(word: str) -> float:
    """jieba's inverse document frequency of ``word`` (its median for unknown words)."""
    tfidf = _tfidf()
    return tfidf.idf_freq.get(word, tfidf.median_idf)
