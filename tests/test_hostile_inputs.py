"""Class 4: hostile input files, generated here: each gives one clear problem, never a
traceback, a hang or "ok"; nothing is built from them and the store is untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import dump, tiny_result
from tsunagari.cli import main
from tsunagari.errors import InputError
from tsunagari.graph.build import build_graph
from tsunagari.loaders.directory import load_directory
from tsunagari.loaders.tabular import MAX_FILE_BYTES

GOOD = Path(__file__).parent / "fixtures" / "directory" / "good" / "organizations.csv"
FUNDING = Path(__file__).parents[1] / "src" / "tsunagari" / "data" / "funding"
HEADER = "id,name,kind,services,municipality,prefecture,source,locator,note\n"


def text_file(body: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "organizations.csv"
        path.write_bytes(body.encode(encoding))
        return path

    return make


def raw_file(data: bytes, name: str = "organizations.csv") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def empty_folder(folder: Path) -> Path:
    (folder / "empty").mkdir()
    return folder / "empty"


def folder_named_csv(folder: Path) -> Path:
    (folder / "x.csv").mkdir()
    return folder / "x.csv"


def folder_inside(folder: Path) -> Path:
    (folder / "mine" / "organizations.csv").mkdir(parents=True)
    return folder / "mine"


def symlink_loop(folder: Path) -> Path:
    (folder / "mine").mkdir()
    (folder / "mine" / "a.csv").symlink_to(folder / "mine" / "b.csv")
    (folder / "mine" / "b.csv").symlink_to(folder / "mine" / "a.csv")
    return folder / "mine"


def fifo(folder: Path) -> Path:
    os.mkfifo(folder / "organizations.csv")
    return folder / "organizations.csv"


def fifo_in_folder(folder: Path) -> Path:
    (folder / "mine").mkdir()
    os.mkfifo(folder / "mine" / "organizations.csv")
    return folder / "mine"


def dev_zero(folder: Path) -> Path:
    return Path("/dev/zero")


def huge_file(folder: Path) -> Path:
    path = folder / "organizations.csv"
    with path.open("wb") as f:
        f.write(HEADER.encode())
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    return path


def xlsx_formula(folder: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "organizations"
    sheet.append(HEADER.strip().split(","))
    sheet.append(["ex-1", '=CONCAT("例示", "NPO")', "npo", "ibasho", "阪南市", "大阪府"])
    path = folder / "dir.xlsx"
    book.save(path)  # openpyxl saves formulas without their values, as a script would
    return path


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "unterminated quote": (
        text_file(
            HEADER + 'ex-1,"例示NPO,npo,ibasho,阪南市,大阪府,,,\nex-2,例示,npo,,阪南市,,,,\n'
        ),
        "bad-csv",
    ),
    "a quote closed rows later": (
        text_file(
            HEADER + 'ex-1,"例示NPO,npo,ibasho,阪南市,大阪府,,,\nex-2,例示2,npo,,阪南市,,,,\n'
            'ex-3,例示3",npo,,阪南市,,,,\n'
        ),
        "bad-csv",
    ),
    "text after a closing quote": (
        text_file(HEADER + 'ex-1,"例示"NPO,npo,,阪南市,,,,\n'),
        "bad-csv",
    ),
    "1 MB cell": (text_file(HEADER + f"ex-1,{'あ' * 1_000_000},npo,,阪南市,,,,\n"), "bad-csv"),
    # CP932 decodes this one (as "Caf騁eria H駘鈩e"): refused all the same
    "Latin-1 that CP932 decodes": (
        text_file(HEADER + "ex-1,Caféteria Hélène,npo,,272329,,,,\n", "latin-1"),
        "undecodable",
    ),
    "Latin-1": (
        text_file(HEADER + "ex-1,Café Zürich été,npo,,272329,,,,\n", "latin-1"),
        "undecodable",
    ),
    "UTF-16": (text_file(HEADER + "ex-1,例示NPO,npo,,阪南市,,,,\n", "utf-16"), "undecodable"),
    "UTF-16 without BOM": (
        text_file(HEADER + "ex-1,例示NPO,npo,,阪南市,,,,\n", "utf-16-le"),
        "undecodable",
    ),
    "NUL bytes": (
        raw_file((HEADER + "ex-1,例示\x00NPO,npo,,阪南市,,,,\n").encode()),
        "undecodable",
    ),
    "random bytes": (raw_file(bytes(range(256)) * 40), "undecodable"),
    "empty folder": (empty_folder, "empty-folder"),
    "folder named x.csv": (folder_named_csv, "empty-folder"),
    "folder named .csv inside a folder": (folder_inside, "not-a-file"),
    "symlink loop in a folder": (symlink_loop, "unreadable-file"),
    "FIFO named .csv": (fifo, "not-a-file"),
    "FIFO inside a folder": (fifo_in_folder, "not-a-file"),
    "/dev/zero": (dev_zero, "not-a-file"),
    "file over the size limit": (huge_file, "file-too-large"),
    "xlsx formula without a saved value": (xlsx_formula, "formula-without-value"),
    "xlsx that is not a workbook": (raw_file(b"PK\x03\x04 not a zip", "dir.xlsx"), "unreadable"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_names_the_problem(tmp_path: Path, case: str) -> None:
    make, slug = CASES[case]
    path = make(tmp_path)
    # a subprocess with a timeout: a FIFO or a device must not hang the command
    done = subprocess.run(
        [sys.executable, "-c", "from tsunagari.cli import main; main()", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == InputError.exit_code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    problems = done.stdout.splitlines()
    assert problems and all(f"[{slug}" in p for p in problems), problems
    assert len(problems) == (2 if case == "symlink loop in a folder" else 1)


def test_the_three_encodings_still_read(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8")
    for encoding in ("utf-8", "utf-8-sig", "cp932"):
        folder = tmp_path / encoding
        folder.mkdir()
        (folder / "organizations.csv").write_bytes(text.encode(encoding))
        assert load_directory([folder]).problems == [], encoding


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "g.lbug"
    build_graph(tiny_result(), path)
    return path


def funding_copy(tmp_path: Path, edit: Callable[[Path], None]) -> Path:
    folder = tmp_path / "funding"
    shutil.copytree(FUNDING, folder)
    edit(folder)
    return folder


def replace_in(name: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return edit


def truncate(name: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        (folder / name).write_text("", encoding="utf-8")

    return edit


def header_only(name: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")

    return edit


BAD_FUNDING = {
    "non-numeric cost": (replace_in("projects.csv", ",2480,", ",abc,"), "'abc' is not a whole"),
    "unknown partner code": (
        replace_in("partners.csv", ",313025,", ",999999,"),
        "no prefecture or municipality has the 団体コード '999999'",
    ),
    "unknown lead code": (
        replace_in("projects.csv", ",032107,", ",000000,"),
        "団体コード '000000'",
    ),
    "empty grant.csv": (truncate("grant.csv"), "grant.csv: has no row"),
    "grant.csv with a header only": (header_only("grant.csv"), "grant.csv: has no row"),
    "empty source.csv": (truncate("source.csv"), "source.csv: has no row"),
    "a column missing": (replace_in("projects.csv", "wide_area,", "wide_areaz,"), "no column"),
    "a passage line that is not a number": (
        replace_in("passages.csv", ",趣旨,67,", ",趣旨,sixty-seven,"),
        "'sixty-seven'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FUNDING))
def test_build_with_a_bad_funding_folder(tmp_path: Path, store: Path, case: str) -> None:
    edit, message = BAD_FUNDING[case]
    folder = funding_copy(tmp_path, edit)
    before = dump(store)
    out = CliRunner().invoke(main, ["--store", str(store), "build", "--with", str(folder)])
    assert out.exit_code == InputError.exit_code, out.output
    assert not isinstance(out.exception, Exception) or isinstance(out.exception, SystemExit)
    assert message in out.output and "Traceback" not in out.output
    assert dump(store) == before


def test_build_with_hostile_directory_files_builds_nothing(tmp_path: Path, store: Path) -> None:
    before = dump(store)
    for case in ("1 MB cell", "unterminated quote", "empty folder", "folder named x.csv"):
        folder = tmp_path / case.replace(" ", "_")
        folder.mkdir()
        path = CASES[case][0](folder)
        out = CliRunner().invoke(main, ["--store", str(store), "build", "--with", str(path)])
        assert out.exit_code == InputError.exit_code, (case, out.output)
        assert "nothing was built" in out.output
    assert dump(store) == before


IMPORTS = {
    "empty file": b"",
    "random text": "これは交付団体の一覧ではありません。\nただの文章です。\n".encode() * 20,
    "random bytes": bytes(range(256)) * 10,
    "an English letter": b"Dear reader,\nthis is not a list.\n",
}


@pytest.mark.parametrize("case", sorted(IMPORTS))
def test_import_funding_refuses_what_is_not_a_list(tmp_path: Path, case: str) -> None:
    source = tmp_path / "list.txt"
    source.write_bytes(IMPORTS[case])
    out_dir = tmp_path / "out"
    out = CliRunner().invoke(main, ["import-funding", str(source), "--out", str(out_dir)])
    assert out.exit_code == 2, out.output
    assert "nothing was written" in out.output and "Traceback" not in out.output
    assert not out_dir.exists()


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (`--lang en`); Japanese is the default."""
    monkeypatch.setenv("TSUNAGARI_LANG", "en")
