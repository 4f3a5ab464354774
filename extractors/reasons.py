"""An exception said in words, for the one line a user reads.

Why: a user who sees ``KeyError('name')``, ``[Errno 21] Is a directory: 3`` or
``PdfminerException: ...`` learns the name of a class inside ptkg or a library, not what is wrong with
the file.  Every message that ends in an exception's text goes through :func:`reason`, which keeps what
the text says in words (an operating system's reason, a library's own sentence) and drops what is only
Python (class names, reprs, errno numbers).  A failure that is a bug rather than bad input (a
``TypeError`` deep in a reader) is said to be one, and ``--debug`` shows its traceback.

It lives in ``extractors/`` because every layer says failures (readers, graph, the command line) and the
layers import one way only (tests/test_layers.py).
"""

from __future__ import annotations

import re
import zlib

#: exceptions that are mistakes in code, not a property of the input: their text is Python's, not the user's
_BUGS = (AttributeError, TypeError, IndexError, NameError, AssertionError, ZeroDivisionError, UnboundLocalError,
         NotImplementedError)
#: "[Errno 21] " and the like, when a library put an OSError's str() into its own message,
#: and Rust's "(os error 2)" (Oxigraph's OSErrors)
_ERRNO = re.compile(r"\[(?:Errno|WinError) -?\d+\]\s*|\s*\(os error -?\d+\)")
INTERNAL = "an internal error (a bug in ptkg: --debug shows the traceback; please report it)"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def is_bug(e: BaseException) -> bool:
    """True when ``e`` says a piece of code went wrong (its text is Python's), not what is wrong with the input."""
    if isinstance(e, KeyError):
        key = e.args[0] if len(e.args) == 1 else None
        return not (isinstance(key, str) and " " in key.strip())
    return isinstance(e, _BUGS)


def reason(e: BaseException, bug: str = INTERNAL) -> str:
    """What went wrong, in words and on one line, without the exception's class name or a repr.

    ``bug``: what to say when ``e`` is a mistake in code (:func:`is_bug`); a reader says the library
    stumbled on the file, since a damaged file is what usually trips a parser's code.
    """
    if isinstance(e, MemoryError):
        return "out of memory"
    if isinstance(e, RecursionError):
        return "nested too deeply to follow"
    if isinstance(e, UnicodeDecodeError):
        return f"not {e.encoding} text (undecodable byte at offset {e.start})"
    if isinstance(e, UnicodeEncodeError):
        return f"characters that {e.encoding} cannot write (at position {e.start})"
    if isinstance(e, TimeoutError):
        return "timed out"
    if isinstance(e, OSError):
        inner = getattr(e, "reason", None)  # urllib's URLError: the socket's error inside
        if isinstance(inner, BaseException):
            return reason(inner)
        if isinstance(inner, str) and inner:
            return _one_line(_ERRNO.sub("", inner))
        words = e.strerror or _ERRNO.sub("", str(e))
        name = e.filename if isinstance(e.filename, str) else None
        return _one_line(f"{words}: {name}" if name else words) or "the operating system refused"
    if isinstance(e, zlib.error):
        # "Error -3 while decompressing data: incorrect header check": the part after the colon is the reason
        return f"damaged compressed data ({_one_line(str(e).rsplit(': ', 1)[-1])})"
    if is_bug(e):
        return bug
    if isinstance(e, KeyError):  # a library's sentence (python-docx: "There is no item named … in the archive")
        return _one_line(e.args[0])
    text = _one_line(_ERRNO.sub("", str(e)))
    return text or "no reason given (run again with --debug for the details)"
