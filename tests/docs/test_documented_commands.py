"""Every command in README.md and docs/*.md runs exactly as written (the convention: ``doc_commands.py``).

Each ```bash block (and the README's inline commands) runs in a sandbox that stands for the repository root right
after ``bash scripts/dev.sh run``: ``.lmc`` holds a copy of the session's pulled warehouse and the default
``lmc build`` (the session's SCI build, ``sci_report_build``, made with the CLI's defaults, which ``lmc build``
then finds up to date: made once per test run, shared by the xdist workers), ``../shared`` is the shared data, the
repository's ``lmc.toml``, ``.venv``, ``tests`` and the other top-level entries are there, and the package is
imported from a copy of ``src`` (so ``lmc corridor build-feed`` rewrites the copy, never the checkout). Files the
commands write stay in the sandbox; the test checks that the checkout gained no file. A failure names the file,
line and command, with its exit code and the end of its stderr. The wall and CPU seconds of each command are
written to ``tests/_artifacts/docs/`` (ignored by git).
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest

from doc_commands import (REPO, Block, Command, Outcome, is_serve, serve_port, bash_blocks, documented_blocks,
                          placeholders, readme_prose)

BLOCKS = documented_blocks()
RUNNABLE = [b for b in BLOCKS if any(not c.skip for c in b.commands)]
RUNNER = Path(__file__).with_name("doc_commands.py")
ARTIFACTS = REPO / "tests" / "_artifacts" / "docs"
IN_SANDBOX = {".git", ".lmc", "out", "src", "lmc.toml"}  # not linked: made for each sandbox (or left out)
CLOSED_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, so a download fails at once


def _link_or_copy(src: str, dst: str) -> None:
    """Hard links for files that are only ever replaced whole (cache, build outputs), copies for DuckDB files,
    which are written in place."""
    if src.endswith((".duckdb", ".wal")):
        shutil.copy2(src, dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base.parent if base.name.startswith("popen-gw") else base  # shared by xdist workers


@pytest.fixture(scope="session")
def docs_home(pulled_warehouse, sci_report_build, mirror_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home as ``bash scripts/dev.sh run`` leaves it: the pulled warehouse and the default ``lmc build``.

    The session's SCI build is copied in (not linked: the web tests serve it), then ``lmc build`` runs as the docs
    say; with the CLI's defaults it finds that build up to date and takes seconds."""
    root = _shared_root(tmp_path_factory)
    home = root / "lmc_docs_home"
    with open(root / "lmc_docs_home.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (home / "out" / "build.json").is_file():
                work = root / "lmc_docs_home.tmp"
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(pulled_warehouse.home, work, copy_function=_link_or_copy,
                                ignore=shutil.ignore_patterns("pull-report.json"))
                built = sci_report_build.out_dir
                shutil.copytree(built, work / "out")
                shutil.copytree(built.parent / "cache", work / "cache", dirs_exist_ok=True)
                env = {k: v for k, v in os.environ.items() if not k.startswith("LMC_")}
                env.update(LMC_HOME=str(work), LMC_MIRROR=str(mirror_dir), LMC_CONFIG=str(REPO / "lmc.toml"))
                res = subprocess.run([str(REPO / ".venv" / "bin" / "lmc"), "build"], env=env, cwd=root,
                                     capture_output=True, text=True)
                assert res.returncode == 0, f"`lmc build` for the docs home failed:\n{res.stderr[-3000:]}"
                shutil.rmtree(home, ignore_errors=True)
                work.rename(home)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return home


@pytest.fixture(scope="session")
def private_network() -> list[str] | None:
    """The prefix that runs a command in a network namespace of its own (only loopback, up), or None where the
    machine does not allow one (containers without user namespaces): the blocks then run with closed proxies."""
    prefix = ["unshare", "--user", "--map-root-user", "--net"]
    try:
        res = subprocess.run([*prefix, sys.executable, str(RUNNER), "--private-network"], capture_output=True,
                             text=True, timeout=60)
        ok, why = res.returncode == 0, (res.stderr.strip().splitlines() or [f"exit code {res.returncode}"])[-1]
    except (OSError, subprocess.TimeoutExpired) as exc:
        ok, why = False, str(exc)
    if ok:
        return prefix
    warnings.warn(f"no private network namespace here ({why}): documented commands run with closed proxies, "
                  "one server block at a time", stacklevel=1)
    return None


def _sandbox(tmp: Path, home: Path, shared: Path) -> tuple[Path, dict[str, str]]:
    """A folder standing for the repository root (see the module docstring) and the environment of its commands."""
    (tmp / "shared").symlink_to(shared, target_is_directory=True)
    repo = tmp / "repo"
    repo.mkdir()
    for entry in REPO.iterdir():
        if entry.name not in IN_SANDBOX:
            (repo / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    shutil.copy2(REPO / "lmc.toml", repo / "lmc.toml")
    shutil.copytree(REPO / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(home, repo / ".lmc", copy_function=_link_or_copy)
    (tmp / "curlrc").mkdir()
    (tmp / "curlrc" / ".curlrc").write_text("fail\nshow-error\nsilent\n")  # an HTTP error is a failed command
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LMC_", "VIRTUAL_ENV"))}
    env.update(PATH=f"{repo / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(repo / ".venv"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(repo / "src"), env.get("PYTHONPATH")])),
               CURL_HOME=str(tmp / "curlrc"))
    # any download goes to a closed port and fails at once (the only guard where no namespace can be had); the
    # documented servers on 127.0.0.1 are reached directly
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[var] = CLOSED_PROXY
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
    return repo, env


@contextmanager
def _ports_of(block: Block, isolated: bool, root: Path):
    """Without a namespace of their own, blocks that start a server take turns (they use fixed ports), and a port
    another program holds skips the block: the machine's, not the docs', problem."""
    ports = sorted({serve_port(c.run) for c in block.commands if is_serve(c.run)})
    if isolated or not ports:
        yield
        return
    with open(root / "lmc_docs_ports.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for port in ports:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        pytest.skip(f"port {port} is in use on this machine and no private network namespace "
                                    "is available")
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _untracked() -> set[str] | None:
    """Files git does not know and does not ignore (None without git: a tarball of the sources)."""
    try:
        res = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO,
                             capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return {ln[3:] for ln in res.stdout.splitlines() if ln.startswith("??")} if res.returncode == 0 else None


def _record(block: Block, outcomes: list[dict]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", block.id) + ".csv"
    with open(ARTIFACTS / name, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["where", "command", "run", "exit_code", "seconds", "cpu_seconds"])
        for o in outcomes:
            w.writerow([o["where"], o["command"], o["run"], o["code"], f"{o['seconds']:.2f}", f"{o['cpu']:.2f}"])


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.id for b in RUNNABLE])
def test_documented_commands_run_as_written(block: Block, docs_home: Path, shared_dir: Path, tmp_path: Path,
                                            private_network: list[str] | None,
                                            tmp_path_factory: pytest.TempPathFactory):
    repo, env = _sandbox(tmp_path, docs_home, shared_dir)
    logs, result = tmp_path / "logs", tmp_path / "outcomes.json"
    logs.mkdir()
    argv = [sys.executable, str(RUNNER), "run", block.id, str(repo), str(logs), str(result)]
    if private_network is not None:
        argv = [*private_network, sys.executable, str(RUNNER), "--private-network", *argv[2:]]
    before = _untracked()
    with _ports_of(block, private_network is not None, _shared_root(tmp_path_factory)):
        res = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True)
    assert res.returncode == 0 and result.is_file(), f"the runner failed:\n{res.stderr[-3000:]}"
    outcomes = json.loads(result.read_text(encoding="utf-8"))
    _record(block, outcomes)
    after = _untracked()
    if before is not None and after is not None:
        assert not after - before, f"the commands wrote into the checkout: {sorted(after - before)}"
    ran = {o["where"] + o["command"] for o in outcomes}
    missing = [c for c in block.commands if not c.skip and c.where + c.text not in ran]
    assert not missing, f"commands that did not run: {missing}"
    failed = [Outcome(**o) for o in outcomes if o["problem"]]
    assert not failed, f"{len(failed)} documented command(s) do not run as written:\n\n" + "\n\n".join(
        o.message() for o in failed)
    shutil.rmtree(repo)  # kept only when the block fails (a warehouse copy each: pytest keeps three runs)


# --- the convention itself, on a small page ------------------------------------------------------------------------

PAGE = """# A page

```bash
lmc data status                 # what is loaded
ASEM=../shared/data/mirror/asem
lmc index build --imeta $ASEM/ASEM_iMeta.csv \\
    --out out/asem
lmc scenario validate           # exit code 2: a back-cast fails
lmc guide build --all --out g   # long [tested as: lmc guide build --all --format html --out g]
bash scripts/dev.sh test
```

```
lmc build [--out DIR]
```

```bash
lmc guide build --country LAO --out DIR
```
"""

README = """# Title
Use `lmc route Kunming Bangkok --date 2026-06-01 --after 07:00`, or `lmc route FROM TO --date YYYY-MM-DD`,
`lmc data pull [SOURCE…]`, `lmc sql "SELECT …"`, `lmc guide build --country LAO --out DIR`, `lmc scenario list`.

| `lmc serve` | table rows are not prose |
"""


def test_the_convention_reads_blocks_variables_exit_codes_and_substitutes(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    first, second = bash_blocks(page, tmp_path)
    assert [c.line for c in first.commands] == [4, 6, 8, 9, 10]
    status, index, validate, guides, setup = first.commands
    assert status.run == "lmc data status" and status.expect == 0 and not status.skip
    assert index.text == "lmc index build --imeta $ASEM/ASEM_iMeta.csv --out out/asem"
    assert index.run == "ASEM=../shared/data/mirror/asem; " + index.text
    assert validate.expect == 2
    assert guides.text == "lmc guide build --all --out g" and guides.run.endswith("--format html --out g")
    assert setup.skip
    assert second.commands[0].error and "DIR" in second.commands[0].error  # a placeholder in a bash block


def test_readme_prose_runs_inline_commands_without_placeholders(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    assert [c.text for c in readme_prose(readme, tmp_path).commands] == [
        "lmc route Kunming Bangkok --date 2026-06-01 --after 07:00", "lmc scenario list"]
    assert placeholders("lmc sql \"SELECT * FROM provenance LIMIT 5\"", strict=True) == []
    assert placeholders("lmc route KMS VTE --date 2026-06-01", strict=False) == []


def test_a_readme_command_a_docs_page_states_as_written_runs_there(tmp_path):
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# Page\n\n```bash\nlmc route Kunming Bangkok --date 2026-06-01\n"
                                                "lmc scenario list   # the built-in scenarios\n```\n",
                                                encoding="utf-8")
    prose = next(b for b in documented_blocks(tmp_path) if b.kind == "prose")
    route, scenarios = prose.commands
    assert not route.skip  # the page's route has no --after: not the same command
    assert scenarios.skip == "runs as written in docs/page.md:5"


def test_a_block_of_curl_commands_gets_the_documented_server(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("```bash\ncurl 'http://127.0.0.1:8000/api/v1/scores'\n```\n", encoding="utf-8")
    (block,) = bash_blocks(page, tmp_path)
    assert [(c.run, c.implicit) for c in block.commands] == [("lmc serve", True),
                                                             ("curl 'http://127.0.0.1:8000/api/v1/scores'", False)]


def test_every_command_of_the_docs_is_found():
    commands: list[Command] = [c for b in BLOCKS for c in b.commands]
    assert len(commands) > 50
    assert any(c.file == "README.md" and c.text.startswith("lmc route Kunming Bangkok") for c in commands)
    assert all(c.skip for c in commands if c.text.startswith("bash scripts/dev.sh"))
