"""`lmc sql` is read-only for real: each escape attempt is refused in one line (exit 2) and leaves no trace."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import isolated_env, no_traceback, run_lmc

from lmc.config import load_settings
from lmc.warehouse.ingest import pull


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, mirror_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("sql_home")
    res = pull(["owid"], load_settings(home=home, warehouse=home / "warehouse.duckdb", mirrors=(str(mirror_dir),),
                                       offline=True))
    assert res.ok
    return home


ATTEMPTS = [  # (query, what the one line says); {t} is a path in the test's tmp folder
    ("COPY (SELECT * FROM owid_series) TO '{t}/leak.csv'", "this one is COPY"),
    ("EXPORT DATABASE '{t}/dump'", "this one is EXPORT"),
    ("SELECT 1; DROP TABLE owid_series", "exactly one statement, this has 2"),
    ("SELECT * FROM read_csv('/etc/passwd')", "no files, extensions or settings"),
    ("SELECT * FROM read_text('/etc/hostname')", "no files, extensions or settings"),
    ("SELECT * FROM glob('/etc/*')", "no files, extensions or settings"),
    ("ATTACH '{t}/other.duckdb' AS other", "this one is ATTACH"),
    ("SET enable_external_access = true", "this one is SET"),
    ("INSTALL httpfs", "this one is LOAD"),
    ("LOAD httpfs", "this one is LOAD"),
    ("CREATE TABLE owned AS SELECT 1", "this one is CREATE"),
    ("DELETE FROM owid_series", "this one is DELETE"),
]


@pytest.mark.parametrize(("query", "says"), ATTEMPTS, ids=[q.split()[0] + str(i) for i, (q, _) in enumerate(ATTEMPTS)])
def test_an_escape_attempt_is_refused_in_one_line(query, says, home, tmp_path):
    env = isolated_env(home)
    proc = run_lmc(["sql", query.format(t=tmp_path)], env, cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and says in lines[0], proc.stderr
    assert "root:" not in proc.stdout + proc.stderr  # nothing of /etc/passwd shown
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_query_still_runs(home, tmp_path):
    proc = run_lmc(["sql", "SELECT count(*) AS n FROM owid_series", "--format", "csv"], isolated_env(home),
                   cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.split() == ["n", "8901"]
