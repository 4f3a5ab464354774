"""manifest.csv: the user's word wins; bad rows are reported and the good ones still apply."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from ptkg.extractors.documents import split_documents
from ptkg.extractors.manifest import apply_manifest, load_manifest
from ptkg.extractors.normalize import normalize
from ptkg.extractors.readers import read_file

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
S003 = "003_35bffe073971c21c.txt"
S004 = "004_9a344fd58c198240.txt"


def folder_with_seeds(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    shutil.copy(SEEDS / S003, root / S003)
    shutil.copy(SEEDS / S004, root / "sub" / S004)
    return root


def docs_of(root: Path, rel: str):  # type: ignore[no-untyped-def]
    raw = read_file(root / rel, root)
    return split_documents(raw, normalize(raw.text))


def test_manifest_overrides_and_reports_bad_rows(tmp_path: Path) -> None:
    root = folder_with_seeds(tmp_path)
    (root / "manifest.csv").write_text(
        "File,Date,Title,Publisher,Comment\n"  # header case does not matter; Comment is unknown
        f"{S003},2020-12-24,市委理论务虚会讲话,某市人民政府,x\n"
        f"./sub/{S004},2020-13-01,成渝双城经济圈,,\n"  # bad date: other fields kept
        "missing.txt,2020-01-01,,,\n"
        ",2020-01-01,no file,,\n"
        "\n",
        encoding="utf-8-sig",
    )
    fields, problems = load_manifest(root)
    assert set(fields) == {S003, f"sub/{S004}"}
    assert fields[S003] == {"date": "2020-12-24", "title": "市委理论务虚会讲话", "publisher": "某市人民政府"}
    assert fields[f"sub/{S004}"] == {"title": "成渝双城经济圈"}
    assert problems == [
        "manifest.csv: unknown column 'comment' ignored",
        "manifest.csv line 3: bad date '2020-13-01' (want YYYY-MM-DD); other fields kept",
        "manifest.csv line 4: unknown file 'missing.txt'",
        "manifest.csv line 5: missing file",
    ]
    assert all("\n" not in p for p in problems)

    docs = docs_of(root, S003)
    assert docs[0].date == dt.date(2020, 12, 23)  # detected first …
    apply_manifest(docs, fields[S003])
    assert docs[0].date == dt.date(2020, 12, 24)  # … the manifest wins
    assert docs[0].date_evidence == "manifest.csv: date 2020-12-24"
    assert docs[0].title == "市委理论务虚会讲话"
    assert docs[1].date == dt.date(2020, 9, 4)  # the date is the first document's only
    assert docs[1].author == "倪月菊"
    assert [d.publisher for d in docs] == ["某市人民政府", "某市人民政府"]  # where the file came from

    doc4 = docs_of(root, f"sub/{S004}")
    apply_manifest(doc4, fields[f"sub/{S004}"])
    assert doc4[0].date is None and doc4[0].title == "成渝双城经济圈"


def test_no_manifest_and_broken_manifests(tmp_path: Path) -> None:
    root = folder_with_seeds(tmp_path)
    assert load_manifest(root) == ({}, [])
    (root / "manifest.csv").write_text("name,date\nx,2020-01-01\n", encoding="utf-8")
    assert load_manifest(root) == ({}, ["manifest.csv: no 'file' column in the header row; manifest ignored"])
    (root / "manifest.csv").write_bytes("file,title\n003.txt,标题\n".encode("gb18030"))
    fields, problems = load_manifest(root)
    assert fields == {} and problems[0].startswith("manifest.csv: not UTF-8")


def test_source_becomes_url_or_publisher_and_language_applies_to_all(tmp_path: Path) -> None:
    root = folder_with_seeds(tmp_path)
    (root / "manifest.csv").write_text(
        f"file,source,language\n{S003},http://www.iwep.org.cn/x.html,zh-Hans\nsub/{S004},中国知网,\n", encoding="utf-8"
    )
    fields, problems = load_manifest(root)
    assert problems == []
    docs = docs_of(root, S003)
    apply_manifest(docs, fields[S003])
    assert [d.url for d in docs] == ["http://www.iwep.org.cn/x.html"] * 2
    assert [d.language for d in docs] == ["zh-Hans"] * 2
    assert docs[1].publisher is None
    doc4 = docs_of(root, f"sub/{S004}")
    apply_manifest(doc4, fields[f"sub/{S004}"])
    assert doc4[0].publisher == "中国知网" and doc4[0].url is None


def test_path_outside_the_folder_is_unknown(tmp_path: Path) -> None:
    root = folder_with_seeds(tmp_path)
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    (root / "manifest.csv").write_text("file,date\n../outside.txt,2020-01-01\n", encoding="utf-8")
    fields, problems = load_manifest(root)
    assert fields == {} and problems == ["manifest.csv line 2: unknown file '../outside.txt'"]
