"""The commands written in README.md and docs/*.md, and a runner that runs them as a reader would.

Which text is a command (the convention, also stated in AGENTS.md):

* Every line of a fenced ```` ```bash ```` block is a command that runs exactly as written, from the repository root
  after ``bash scripts/dev.sh run`` (a pulled warehouse and a default ``lmc build`` in ``.lmc``, the repository's
  ``lmc.toml``, ``.venv/bin`` first on ``PATH``). A line ending in ``\\`` continues on the next; blank and comment
  lines are skipped; a line that only sets a shell variable (``ASEM=../shared/...``) applies to the block's later
  commands. The commands of one block run in order, in one working directory and home; each block starts afresh.
* A synopsis (placeholders such as ``FILE.csv``, ``DIR``, ``[--out DIR]``, ``a|b``, ``…``) and developer commands
  that run the test suite or the benchmarks live in plain ```` ``` ```` blocks, or in inline code: not run.
* In the README's paragraphs (not its tables or headings), each inline ```lmc ...``` without a placeholder runs too,
  in one block in the order written; one that a docs page's ```bash block states exactly as written runs there
  (the README only points to it) and is listed as such.
* The trailing comment of a command may say ``exit code N``: the command must end with that code (a documented
  failure). It may also say ``[tested as: COMMAND]`` for a command too long for the test suite: the test then runs
  COMMAND instead, and the reader sees that it did.
* ``bash scripts/dev.sh ...`` (the README's set-up commands) is run by CI itself, not here.
* ``lmc serve`` starts in the background; the runner waits until it answers ``GET /`` with 200, keeps it up for the
  block's following commands (``curl`` to the address of the docs), and stops it with Ctrl+C (SIGINT) at the next
  ``lmc serve`` or the block's end. A block with ``curl http://127.0.0.1:8000`` and no ``lmc serve`` gets the
  default ``lmc serve`` the docs start. Blocks run in a private network namespace (``unshare``), so a fixed port
  never clashes with another process and no command can reach the network; curl treats an HTTP error as a failure.
  Every proxy variable points at a closed local port (``no_proxy`` for 127.0.0.1), so a download fails at once.
  Where the machine allows no namespace (a container without user namespaces), that is the only guard: the test
  says so, and blocks that start a server take turns.

Run ``python tests/docs/doc_commands.py`` to list the commands; ``tests/docs/test_documented_commands.py`` runs them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import resource
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETUP = "bash scripts/dev.sh"  # the README's set-up commands: CI runs them, this test does not recurse into them
LMC_ISO3 = {"CHN", "MMR", "LAO", "THA", "KHM", "VNM"}
PLACEHOLDER_WORDS = {"DIR", "FILE", "PATH", "URL", "FROM", "TO", "N", "MODEL", "SOURCE", "NAME", "ISO3", "LANG"}
DEFAULT_SERVER = "lmc serve"
SERVE_WAIT_S = 180


@dataclass(frozen=True)
class Command:
    file: str  # relative to the repository, e.g. docs/flows.md
    line: int
    text: str  # as written (continuations joined, trailing comment removed)
    run: str  # what runs: the text, or the [tested as: ...] command, after the block's variable lines
    expect: int = 0
    skip: str = ""  # why it does not run (set-up commands)
    error: str = ""  # why it cannot run as written (a placeholder in a ```bash block): reported as a failure
    implicit: bool = False  # the default server started for a block of curl commands

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Block:
    file: str
    line: int
    kind: str  # "bash" or "prose"
    commands: tuple[Command, ...]

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Outcome:
    where: str
    command: str
    run: str
    expect: int
    code: int | None
    seconds: float
    cpu: float = 0.0  # user + system seconds of the command and the processes it waited for
    stdout: str = ""
    stderr: str = ""
    problem: str = ""  # set when the command did not do what the docs say

    def message(self) -> str:
        ran = "" if self.run == self.command else f"\n  (run as: {self.run})"
        tail = "\n".join(self.stderr.strip().splitlines()[-40:]) or "(empty)"
        out = "\n".join(self.stdout.strip().splitlines()[-10:]) or "(empty)"
        return (f"{self.where}: `{self.command}`{ran}\n  {self.problem}\n  --- stderr (last 40 lines) ---\n{tail}"
                f"\n  --- stdout (last 10 lines) ---\n{out}")


# --- reading the docs ----------------------------------------------------------------------------------------------

def split_comment(line: str) -> tuple[str, str]:
    """``command  # comment`` -> (command, comment): the first ``#`` outside quotes after a blank starts a comment."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1:].strip()
    return line.rstrip(), ""


def _unquoted(text: str) -> str:
    return re.sub(r"'[^']*'|\"[^\"]*\"", "''", text)


def placeholders(text: str, *, strict: bool) -> list[str]:
    """Placeholders in a command: words like DIR or FILE.csv, ``…``/``...``, ``[--opt]``. ``strict`` (inline code
    in prose) also counts alternatives ``a|b`` and any all-capital word except the six LMC ISO3 codes."""
    bare = _unquoted(text)
    found = [m for m in ("…", "...") if m in text]  # an elided part, quoted or not
    if re.search(r"\[\s*-", bare) or (strict and re.search(r"[\[\]|]", bare)):
        found.append("[...] or a|b")
    for token in re.split(r"[\s=,]+", bare):
        stem = token.split(".")[0].strip("'\"/")
        if stem in PLACEHOLDER_WORDS or stem in {"YYYY-MM-DD", "HH:MM"} or (
                strict and len(stem) >= 2 and re.fullmatch(r"[A-Z][A-Z0-9_]+", stem) and stem not in LMC_ISO3):
            found.append(token)
    return found


_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=\S*")
_TESTED_AS = re.compile(r"\[tested as: (.+?)\]")
_EXIT = re.compile(r"\bexit(?:s with)? code (\d+)")


def _command(file: str, line: int, text: str, comment: str, prelude: list[str]) -> Command:
    if text.startswith(SETUP):
        return Command(file, line, text, text, skip="set-up: run by CI itself (.ci/run)")
    bad = placeholders(text, strict=False)
    if bad:
        return Command(file, line, text, text, error=f"placeholders {bad} in a ```bash block: give real values, or "
                                                     "move the line to a plain ``` block (a synopsis)")
    substitute = _TESTED_AS.search(comment)
    run = substitute.group(1).strip() if substitute else text
    expect = _EXIT.search(comment)
    return Command(file, line, text, "; ".join([*prelude, run]), expect=int(expect.group(1)) if expect else 0)


def bash_blocks(path: Path, root: Path = REPO) -> list[Block]:
    """The ```bash blocks of a Markdown file, each as its commands."""
    file = path.relative_to(root).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    fence: str | None = None
    start = 0
    body: list[tuple[int, str]] = []
    for n, raw in enumerate(lines, 1):
        m = re.match(r"\s*(```+|~~~+)\s*([\w+-]*)", raw)
        if m and fence is None:
            fence, start, body = (m.group(2) or "plain"), n, []
            continue
        if m and fence is not None and not m.group(2):
            if fence == "bash":
                blocks.append(Block(file, start, "bash", _parse_bash(file, body)))
            fence = None
            continue
        if fence is not None:
            body.append((n, raw))
    return blocks


def _parse_bash(file: str, body: list[tuple[int, str]]) -> tuple[Command, ...]:
    commands: list[Command] = []
    prelude: list[str] = []
    pending, first = "", 0
    for n, raw in body:
        text, comment = split_comment(raw)
        if pending:
            text = pending + " " + text.strip()
        else:
            first = n
        if text.endswith("\\"):
            pending = text[:-1].rstrip()
            continue
        pending = ""
        text = text.strip()
        if not text:
            continue
        if _VARIABLE.fullmatch(text):
            prelude.append(text)
            continue
        commands.append(_command(file, first, text, comment, prelude))
    return _with_default_server(tuple(commands))


def _with_default_server(commands: tuple[Command, ...]) -> tuple[Command, ...]:
    needs = any(c.run.startswith("curl") and "127.0.0.1:8000" in c.run for c in commands)
    if needs and not any(is_serve(c.run) for c in commands):
        first = commands[0]
        return (Command(first.file, first.line, DEFAULT_SERVER, DEFAULT_SERVER, implicit=True), *commands)
    return commands


def readme_prose(path: Path, root: Path = REPO) -> Block:
    """Inline ``lmc ...`` commands of the README's paragraphs (not tables, headings or fenced blocks) without a
    placeholder."""
    file = path.relative_to(root).as_posix()
    commands = []
    in_fence = False
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"\s*(```|~~~)", raw):
            in_fence = not in_fence
            continue
        if in_fence or raw.lstrip().startswith(("|", "#")):
            continue
        for code in re.findall(r"`([^`]+)`", raw):
            code = code.strip()
            if code.startswith("lmc ") and not placeholders(code, strict=True):
                commands.append(Command(file, n, code, code))
    return Block(file, 1, "prose", tuple(commands))


def documented_blocks(root: Path = REPO) -> list[Block]:
    """Every block of commands: the README's ```bash blocks and prose, then each docs page's ```bash blocks. A
    README inline command that a docs page's ```bash block states exactly as written runs there (skipped here)."""
    readme = root / "README.md"
    pages = [b for page in sorted((root / "docs").glob("*.md")) for b in bash_blocks(page, root)]
    in_pages: dict[str, str] = {}
    for b in pages:
        for c in b.commands:
            if not (c.skip or c.error or c.implicit):
                in_pages.setdefault(c.text, c.where)
    prose = readme_prose(readme, root)
    prose = Block(prose.file, prose.line, prose.kind, tuple(
        dataclasses.replace(c, skip=f"runs as written in {in_pages[c.text]}") if c.text in in_pages else c
        for c in prose.commands))
    return [b for b in [*bash_blocks(readme, root), prose, *pages] if b.commands]


# --- running them --------------------------------------------------------------------------------------------------

def is_serve(run: str) -> bool:
    return bool(re.match(r"(\S+=\S*\s*;\s*)*lmc serve\b", run))


def serve_port(run: str) -> int:
    words = shlex.split(run.split(";")[-1])
    for i, w in enumerate(words):
        if w == "--port" and i + 1 < len(words):
            return int(words[i + 1])
        if w.startswith("--port="):
            return int(w.split("=", 1)[1])
    return 8000


class _Server:
    """One ``lmc serve`` in the background: started, checked with ``GET /``, stopped with Ctrl+C."""

    def __init__(self, command: Command, cwd: Path, env: dict[str, str], logs: Path):
        self.command, self.started = command, time.perf_counter()
        self.out, self.err = logs / f"serve-{command.line}.out", logs / f"serve-{command.line}.err"
        with open(self.out, "w") as out, open(self.err, "w") as err:
            self.proc = subprocess.Popen(["bash", "-c", command.run], cwd=cwd, env=env, stdout=out, stderr=err,
                                         start_new_session=True)
        self.url = f"http://127.0.0.1:{serve_port(command.run)}/"

    def check(self) -> Outcome:
        """Wait until the server answers ``GET /`` (or exits); its outcome (kept as ``self.outcome``)."""
        problem, status = "", None
        deadline = time.monotonic() + SERVE_WAIT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                problem = f"the server exited with code {self.proc.returncode} before answering {self.url}"
                break
            try:
                with urllib.request.urlopen(self.url, timeout=30) as resp:
                    status = resp.status
                break
            except urllib.error.HTTPError as exc:
                status = exc.code
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.3)
        else:
            problem = f"no answer from {self.url} within {SERVE_WAIT_S} s"
        if status is not None and status != 200:
            problem = f"GET {self.url} answered {status}, not 200"
        self.outcome = self._outcome(None if problem else 0, problem)
        return self.outcome

    def stop(self) -> str:
        """Ctrl+C, as the docs say; returns a problem if the server does not stop by itself within 30 s. The
        server's CPU time (its workers' included) is added to its outcome when it is reaped."""
        before = _children_cpu()
        try:
            return self._stop()
        finally:
            self.outcome.cpu += _children_cpu() - before

    def _stop(self) -> str:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                return "the server did not stop within 30 s of Ctrl+C"
        deadline = time.monotonic() + 10  # its worker processes stop with it (the docs say so)
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return ""
            time.sleep(0.2)
        os.killpg(self.proc.pid, signal.SIGKILL)
        return "processes of the server were still running 10 s after it stopped"

    def _outcome(self, code: int | None, problem: str) -> Outcome:
        c = self.command
        return Outcome(c.where, c.text, c.run, c.expect, code, time.perf_counter() - self.started,
                       stdout=self.out.read_text(errors="replace"), stderr=self.err.read_text(errors="replace"),
                       problem=problem)


def run_block(block: Block, cwd: Path, env: dict[str, str], logs: Path, timeout: float = 900) -> list[Outcome]:
    """Run the block's commands in order (see the module docstring); one outcome per command."""
    outcomes: list[Outcome] = []
    server: _Server | None = None
    try:
        for c in block.commands:
            if c.skip:
                continue
            if c.error:
                outcomes.append(Outcome(c.where, c.text, c.run, c.expect, None, 0.0, problem=c.error))
                continue
            if is_serve(c.run):
                if server is not None:
                    _stopped(server, outcomes)
                server = _Server(c, cwd, env, logs)
                outcomes.append(server.check())
                if outcomes[-1].problem:
                    _stopped(server, outcomes)
                    server = None
                continue
            t, cpu = time.perf_counter(), _children_cpu()
            try:
                res = subprocess.run(["bash", "-c", c.run], cwd=cwd, env=env, capture_output=True, text=True,
                                     timeout=timeout, errors="replace")
                code, out, err = res.returncode, res.stdout, res.stderr
            except subprocess.TimeoutExpired as exc:
                code, out, err = None, str(exc.stdout or ""), str(exc.stderr or "")
            problem = ("" if code == c.expect else
                       f"timed out after {timeout:.0f} s" if code is None else
                       f"exited with code {code}, the docs say {c.expect}")
            outcomes.append(Outcome(c.where, c.text, c.run, c.expect, code, time.perf_counter() - t,
                                    cpu=_children_cpu() - cpu, stdout=out, stderr=err, problem=problem))
    finally:
        if server is not None:
            _stopped(server, outcomes)
    return outcomes


def _children_cpu() -> float:
    """User + system seconds of the finished child processes so far (those they waited for included)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def loopback_up() -> None:
    """Bring up ``lo`` in a new network namespace (what ``ip link set lo up`` does, without needing iproute2)."""
    import fcntl
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        flags = struct.unpack("16sh", fcntl.ioctl(s, siocgifflags, struct.pack("16sh", b"lo", 0)))[1]
        fcntl.ioctl(s, siocsifflags, struct.pack("16sh", b"lo", flags | iff_up))


def _stopped(server: _Server, outcomes: list[Outcome]) -> None:
    problem = server.stop()
    if problem:
        outcomes.append(server._outcome(server.proc.returncode, problem))


def main(argv: list[str]) -> int:
    """``doc_commands.py`` lists the commands; ``doc_commands.py run BLOCK_ID CWD LOGS OUT.json`` runs one block
    with the environment it was given; ``--private-network`` first brings up the loopback interface (the test runs
    the block in a new network namespace: ``unshare --user --map-root-user --net``); ``doc_commands.py
    --private-network`` alone checks that this works here."""
    if argv[:1] == ["--private-network"]:
        argv = argv[1:]
        loopback_up()
        if not argv:  # the check: a server can listen on 127.0.0.1 and a client reach it
            with socket.create_server(("127.0.0.1", 0)) as srv, socket.create_connection(srv.getsockname()):
                return 0
    blocks = {b.id: b for b in documented_blocks()}
    if not argv:
        for b in blocks.values():
            for c in b.commands:
                how = (f"  [skipped: {c.skip}]" if c.skip else f"  [ERROR: {c.error}]" if c.error else "  [started for the block]" if c.implicit else
                       f"  [runs: {c.run.split('; ')[-1]}]" if c.run.split("; ")[-1] != c.text else "")
                code = f"  [exit code {c.expect}]" if c.expect else ""
                print(f"{c.where}\t{c.text}{how}{code}")
        return 0
    _, block_id, cwd, logs, out = argv
    outcomes = run_block(blocks[block_id], Path(cwd), dict(os.environ), Path(logs))
    Path(out).write_text(json.dumps([asdict(o) for o in outcomes], ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
