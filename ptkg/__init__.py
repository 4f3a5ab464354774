"""ptkg: a policy timeline knowledge graph for Chinese policy documents.

The design card keeps ``extractors/`` and ``graph/`` at the top of the repository; they install as
``ptkg.extractors`` and ``ptkg.graph`` (``pyproject.toml``: ``package-dir``), so nothing generic lands in
site-packages.  Run from a checkout, this package's path also takes the repository's top folder, so
that the same ``ptkg.extractors`` names resolve there.
"""

from pathlib import Path as _Path

_top = _Path(__file__).resolve().parent.parent
if not (_Path(__file__).resolve().parent / "extractors").is_dir() and (_top / "extractors").is_dir():
    __path__.append(str(_top))  # noqa: F821 - a package's own __path__
