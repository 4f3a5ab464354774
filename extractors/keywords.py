"""The keywords component: the noun words of each event sentence, counted as jieba's TF-IDF counts them.

Why in the extraction: tokenizing is the costly half of keyword discovery (jieba's POS tagger, ~90k
characters/s), and per file it runs in the workers and is cached with the rest of the file's
extraction.  Which words the corpus stresses is decided later, over all files at once
(``ptkg.graph.keywords``), from these counts — as ``jieba.analyse.extract_tags`` would over the joined
sentences (jieba cuts at every line break, so cutting sentence by sentence gives the same words).
"""

from __future__ import annotations

#: jieba POS tags kept: nouns and other proper nouns (not person/place names: nr, ns)
NOUN_TAGS = frozenset({"n", "nz"})


def _tfidf():  # noqa: ANN202 - jieba's default TF-IDF object (idf table, stop words)
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)  # jieba prints its dictionary loading on stderr otherwise
    return jieba.analyse.default_tfidf


def sentence_nouns(sentence: str) -> tuple[str, ...]:
    """The words of ``sentence`` that ``extract_tags(allowPOS=NOUN_TAGS)`` would count, in order."""
    if not sentence:
        return ()
    tfidf = _tfidf()
    stop = tfidf.stop_words
    return tuple(w.word for w in tfidf.postokenizer.cut(sentence)
                 if w.flag in NOUN_TAGS and len(w.word.strip()) >= 2 and w.word.lower() not in stop)


def idf(word: str) -> float:
    """jieba's inverse document frequency of ``word`` (its median for unknown words)."""
    tfidf = _tfidf()
    return tfidf.idf_freq.get(word, tfidf.median_idf)
