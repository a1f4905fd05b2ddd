"""The digestbot command line: ingest, parse --json, search, show, stats, and its user errors."""

from __future__ import annotations

import contextlib
import csv
import http.server
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from botharness import seed, write_digest
from conftest import TEST_DIGESTS
from pybtex.database import parse_string
from risreader import read_ris

from bot.cli import CLOSED_PIPE, MODULE_OF, build_parser, command, main
from bot.text.exports import CSV_COLUMNS

CANONICAL = TEST_DIGESTS / "2026-02-10.md"
JSONL = TEST_DIGESTS / "2026-02-10_AI_enhanced_Chinese.jsonl"
MALFORMED = TEST_DIGESTS / "2025-07-01-malformed.jsonl"
RADAR = TEST_DIGESTS / "2026-06-17_research_radar.md"
SCRIPT = Path(sys.executable).with_name("digestbot")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with its own database, and no settings from the developer's shell."""
    for name in ("DIGESTBOT_DB", "TELEGRAM_BOT_TOKEN", "DIGEST_SOURCES", "DEFAULT_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIGESTBOT_DB", str(tmp_path / "test.db"))
    return tmp_path


def table_counts(db: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        names = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in names]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_cli_ingest_prints_a_summary_and_is_idempotent(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(CANONICAL)]) == 0
    assert capsys.readouterr().out == (
        "1 digest(s) stored, 0 already stored, 0 failed; papers: 3 new, 0 updated; 0 warning(s).\n"
    )
    before = table_counts(workdir / "test.db")
    assert main(["ingest", str(CANONICAL)]) == 0
    assert "0 digest(s) stored, 1 already stored" in capsys.readouterr().out
    assert table_counts(workdir / "test.db") == before


def test_cli_ingest_folder_takes_dated_files_and_reports_failures(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = workdir / "data"
    folder.mkdir()
    for source in (CANONICAL, JSONL, MALFORMED):
        shutil.copy(source, folder / source.name)
    (folder / "README.md").write_text("# not a digest\n", encoding="utf-8")
    assert main(["ingest", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "2 digest(s) stored, 0 already stored, 1 failed" in captured.out
    assert "README.md: no YYYY-MM-DD in its name" in captured.err
    assert "2025-07-01-malformed.jsonl: line 3: not valid JSON" in captured.err
    assert "Traceback" not in captured.err


def test_cli_ingest_of_a_glob(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(TEST_DIGESTS / "2026-02-10*")]) == 0
    assert "3 digest(s) stored" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ingest", "missing.md"], "missing.md: no such file or folder."),
        (["ingest", "nothing-*.md"], "nothing-*.md: no file matches this pattern."),
        (["show", "not-an-id"], "'not-an-id' is not an arXiv id or link, e.g. 2510.19260."),
        (["show", "2510.19260"], "2510.19260 is not in the database."),
        (["search", "--", "-"], "the query has nothing to search for"),
    ],
)
def test_cli_user_errors_print_one_sentence_and_exit_non_zero(
    workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err.splitlines()[-1]
    assert "Traceback" not in err


def test_cli_rejects_a_malformed_date(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["ingest", str(CANONICAL), "--date", "2025-13-01"])
    assert exited.value.code == 2
    assert "'2025-13-01' is not a date; write it as YYYY-MM-DD" in capsys.readouterr().err


def test_cli_ingest_needs_a_date_for_undated_names(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    undated = workdir / "digest.md"
    shutil.copy(CANONICAL, undated)
    assert main(["ingest", str(undated)]) == 1
    assert "its name carries no YYYY-MM-DD date; give the date with --date" in (
        capsys.readouterr().err
    )
    assert main(["ingest", str(undated), "--date", "2026-02-11"]) == 0


def test_cli_failed_ingest_leaves_the_database_as_it_was(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(CANONICAL)]) == 0
    before = table_counts(workdir / "test.db")
    assert main(["ingest", str(MALFORMED), str(RADAR)]) == 1
    err = capsys.readouterr().err
    assert "not a digest" in err
    assert table_counts(workdir / "test.db") == before


PAPER_FIELDS = [
    "id", "version", "title", "authors", "category", "categories", "tldr",
    "motivation", "method", "result", "conclusion", "abstract", "comment",
]  # fmt: skip


def test_cli_parse_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(CANONICAL), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["date"] == "2026-02-10"
    assert document["warnings"] == []
    assert [p["id"] for p in document["papers"]] == ["2602.90001", "2602.90002", "2602.90003"]
    assert list(document["papers"][0]) == PAPER_FIELDS
    assert document["papers"][1]["version"] == 2


def test_cli_parse_says_when_there_is_no_date(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    undated = workdir / "seed.md"
    shutil.copy(CANONICAL, undated)
    assert main(["parse", str(undated), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["date"] is None
    assert document["warnings"][0].startswith("no date")


def test_cli_search_show_and_stats_read_what_ingest_stored(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["ingest", str(CANONICAL), str(JSONL)])
    capsys.readouterr()
    assert main(["search", "剪枝"]) == 0
    found = capsys.readouterr().out
    assert found.startswith("1 paper matches:\n 1. 2602.90001  2026-02-10  cs.LG  A*-Guided")
    assert main(["search", "--limit", "1", "cat:cs.LG"]) == 0
    assert capsys.readouterr().out.startswith("2 papers match, showing 1:\n 1. ")
    assert main(["search", 'NEAR("a" OR *) AND ) "unbalanced']) == 0
    assert capsys.readouterr().out == "No paper matches.\n"
    assert main(["show", "https://arxiv.org/pdf/2602.90002v2.pdf"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Quiet Gradients: Training Without Warm-up\n")
    assert main(["stats"]) == 0
    assert "papers: 3" in capsys.readouterr().out


def test_cli_search_json_gives_each_paper_as_parse_json_does(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["ingest", str(CANONICAL)])
    capsys.readouterr()
    assert main(["search", "--format", "json", "quiet", "gradients"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert main(["parse", str(CANONICAL), "--json"]) == 0
    parsed = json.loads(capsys.readouterr().out)["papers"][1]
    assert document == {"query": "quiet gradients", "total": 1, "papers": [parsed]}


def test_cli_search_json_without_a_match_has_no_papers(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["ingest", str(CANONICAL)])
    capsys.readouterr()
    assert main(["search", "nothing-like-this", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "query": "nothing-like-this",
        "total": 0,
        "papers": [],
    }


def test_cli_search_refuses_an_unknown_format(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["search", "pruning", "--format", "xml"])
    assert exited.value.code == 2
    assert "argument --format: invalid choice: 'xml'" in capsys.readouterr().err


def test_cli_export_writes_the_matching_papers_in_each_format(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["ingest", str(CANONICAL)])
    capsys.readouterr()
    assert main(["export", "cat:cs.LG"]) == 0  # BibTeX unless told otherwise
    captured = capsys.readouterr()
    entries = parse_string(captured.out, "bibtex").entries.values()
    assert sorted(entry.fields["eprint"] for entry in entries) == ["2602.90001", "2602.90002"]
    assert captured.err == ""
    assert main(["export", "--format", "ris", "cat:cs.LG"]) == 0
    assert len(read_ris(capsys.readouterr().out)) == 2
    assert main(["export", "--format", "csv", "quiet", "gradients"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert [row["id"] for row in rows] == ["2602.90002"]
    assert main(["export", "--format", "markdown", "quiet", "gradients"]) == 0
    assert capsys.readouterr().out.startswith("# Reading list\n\n1 paper.\n\n## 1. Quiet Gradients")


def test_cli_export_says_on_stderr_what_it_left_out(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["ingest", str(CANONICAL)])
    capsys.readouterr()
    assert main(["export", "--limit", "1", "cat:cs.LG"]) == 0
    captured = capsys.readouterr()
    assert len(parse_string(captured.out, "bibtex").entries) == 1
    assert captured.err == "note: 2 papers match; the first 1 is written (--limit).\n"
    assert main(["export", "--format", "csv", "nothing-like-this"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [",".join(CSV_COLUMNS)]
    assert captured.err == "note: no paper matches.\n"


def test_cli_search_writes_its_page_in_an_export_format(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["ingest", str(CANONICAL)])
    capsys.readouterr()
    assert main(["search", "--format", "bibtex", "--limit", "1", "cat:cs.LG"]) == 0
    searched = capsys.readouterr().out
    assert main(["export", "--limit", "1", "cat:cs.LG"]) == 0
    assert capsys.readouterr().out == searched
    assert main(["search", "--format", "ris", "quiet"]) == 0
    assert capsys.readouterr().out.endswith("ER  - \r\n")


def sub_commands() -> list[str]:
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(subparsers.choices)  # type: ignore[arg-type]


def test_cli_every_sub_command_has_a_module() -> None:
    assert sorted(MODULE_OF) == sub_commands()


@pytest.mark.parametrize("name", sub_commands())
def test_cli_command_finds_the_function_of_each_sub_command(name: str) -> None:
    assert command(name).__name__ == name


def test_cli_reads_settings_from_dot_env(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DIGESTBOT_DB")
    (workdir / ".env").write_text("DIGESTBOT_DB=from-dotenv.db\n", encoding="utf-8")
    assert main(["ingest", str(CANONICAL)]) == 0
    assert (workdir / "from-dotenv.db").exists()


def test_cli_explains_a_database_path_it_cannot_use(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    not_sqlite = workdir / "notes.txt"
    not_sqlite.write_text("hello, not a database\n" * 100, encoding="utf-8")
    monkeypatch.setenv("DIGESTBOT_DB", str(not_sqlite))
    assert main(["stats"]) == 2
    assert "cannot open the database" in capsys.readouterr().err


def test_cli_reports_a_malformed_setting(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIGEST_POLL_SECONDS", "soon")
    assert main(["stats"]) == 2
    assert "DIGEST_POLL_SECONDS must be a whole number" in capsys.readouterr().err


@pytest.fixture
def http_folder() -> Iterator[str]:
    """A plain HTTP server on 127.0.0.1 serving the test digests."""
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(TEST_DIGESTS))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *a: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_cli_ingests_from_a_url(
    workdir: Path, http_folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", f"{http_folder}/2026-02-10.md", f"{http_folder}/2099-01-01.md"]) == 1
    captured = capsys.readouterr()
    assert "1 digest(s) stored, 0 already stored, 1 failed; papers: 3 new" in captured.out
    assert "2099-01-01.md: not found (404) - not published yet?" in captured.err


def test_console_script_runs(workdir: Path) -> None:
    result = subprocess.run(
        [str(SCRIPT), "parse", str(CANONICAL)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "3 paper(s), layout canonical" in result.stdout


HEAVY = {"telegram", "aiohttp", "httpx", "bs4", "tqdm", "apscheduler", "numpy", "scipy", "sklearn"}
"""What only run, deliver, ingest and parse need (and ranking: numpy, scipy, scikit-learn):
seconds of start-up between them."""
PROBE = """
import sys
from bot.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("imported:", *sorted({name.split(".")[0] for name in sys.modules}), file=sys.stderr)
"""


@pytest.fixture
def stored(workdir: Path) -> Path:
    """The working directory, its database holding the 2026-02-10 fixture digest."""
    seed(workdir / "test.db", CANONICAL)
    return workdir


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["stats"],
        ["search", "quiet"],
        ["search", "--format", "bibtex", "quiet"],
        ["export", "--format", "ris", "quiet"],
        ["show", "2602.90002"],
    ],
    ids=" ".join,
)
def test_cli_commands_that_read_start_without_telegram_http_or_the_parser(
    stored: Path, argv: list[str]
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True
    )
    assert "Traceback" not in done.stderr
    imported = set(done.stderr.splitlines()[-1].split()[1:])
    assert "bot" in imported
    assert imported & HEAVY == set()


def into_a_closed_pipe(argv: list[str], *, unbuffered: bool) -> subprocess.CompletedProcess[str]:
    """Run ``digestbot argv`` with its stdout a pipe whose reader is gone before it starts."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [str(SCRIPT), *argv],
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(
    "argv",
    [
        ["stats"],
        ["show", "2602.90002"],
        ["search", "--format", "json", "quiet"],
        ["export", "--format", "csv", "quiet"],
    ],
    ids=" ".join,
)
def test_cli_writing_into_a_closed_pipe_ends_quietly(
    stored: Path, argv: list[str], unbuffered: bool
) -> None:
    """Whether the write fails at once (unbuffered) or at the last flush, nothing on stderr."""
    done = into_a_closed_pipe(argv, unbuffered=unbuffered)
    assert (done.returncode, done.stderr) == (CLOSED_PIPE, "")


def test_cli_help_into_a_closed_pipe_ends_quietly(workdir: Path) -> None:
    """With Python's usual buffering; unbuffered, argparse ignores the failed write itself and
    exits 0, as quietly."""
    done = into_a_closed_pipe(["--help"], unbuffered=False)
    assert (done.returncode, done.stderr) == (CLOSED_PIPE, "")


@pytest.mark.parametrize(
    "argv",
    [
        ["parse", "big-2026-03-02.md", "--json"],
        ["search", "study", "--limit", "1000", "--format", "json"],
        ["export", "study", "--format", "markdown"],
    ],
    ids=" ".join,
)
def test_cli_piped_into_head_ends_quietly(workdir: Path, argv: list[str]) -> None:
    """Output much longer than the pipe holds, cut short by ``head -n 3`` while it is written."""
    papers = [
        {"id": f"2603.{n:05d}", "title": f"Pruning study {n}", "abstract": "Words. " * 80}
        for n in range(600)
    ]
    seed(workdir / "test.db", write_digest(workdir / "big-2026-03-02.md", papers))
    writer = subprocess.Popen(
        [str(SCRIPT), *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    head = subprocess.run(
        ["head", "-n", "3"], stdin=writer.stdout, capture_output=True, text=True, check=True
    )
    writer.stdout.close()
    _, stderr = writer.communicate(timeout=60)
    assert len(head.stdout.splitlines()) == 3
    assert (writer.returncode, stderr) == (CLOSED_PIPE, "")
