"""Heavy work off the server: a bounded pool of worker processes for scenario runs and PDF renders.

Why: one scenario run or PDF render takes seconds of CPU and hundreds of MB; run inside the server, a handful of
them (or one hostile input) starves every other request and can grow the server without limit. Here the server
only hands the job to a worker process and waits for its answer, asynchronously:

* **Bounded.** At most ``size`` jobs at once; one more gets :class:`~lmc.web.errors.Busy` (HTTP 429 with
  ``Retry-After``) at once, rather than queueing without limit.
* **Limited.** Each job runs in its own process, forked from a *zygote* that imported the heavy libraries once
  (pandas, pyfixest, WeasyPrint), with ``resource.setrlimit`` limits: CPU seconds (``RLIMIT_CPU``), address space
  beyond what the zygote already maps (``RLIMIT_AS``), no core files; and a wall-clock alarm. Past a limit the job
  stops and its process ends: :class:`~lmc.web.errors.TooSlow` (504) or :class:`~lmc.web.errors.LimitExceeded`
  (422). A client that goes away kills its job. Memory goes back to the system when the job's process ends, so
  the server and the zygote stay at their resting size whatever the jobs did.
* **Fenced.** The zygote is a fresh interpreter (``python -c``), never a fork of the multi-threaded server; it
  forks one child per job (it has one thread, so forking it is safe), at a lower CPU priority (``nice 10``) so
  the API stays responsive while jobs run. Its environment points every library cache (fontconfig, matplotlib,
  temporary files) at the app's declared cache folder and caps numerical libraries at one thread per job.

A job is a function named ``"module:function"`` taking picklable arguments and returning a picklable value.
An :class:`~lmc.errors.LmcError` it raises comes back as an error with the status and code of
:mod:`lmc.web.errors`; any other exception is logged in full on the server and answered as a bare 500.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib
import logging
import os
import pickle
import resource
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from lmc.web.errors import Busy, JobError, LimitExceeded, TooSlow, WorkerLost

log = logging.getLogger("lmc.web.workers")

PRELOAD: tuple[str, ...] = ("pandas", "lmc.web.jobs", "lmc.flows.charts", "pyfixest.estimation", "weasyprint")
"""Imported once by the zygote, so a job's process starts with them loaded (copy-on-write, no import cost)."""

ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
              "NUMBA_NUM_THREADS", "RAYON_NUM_THREADS", "POLARS_MAX_THREADS")
"""One thread per job: ``size`` jobs use ``size`` cores at most, and the server keeps its own."""


@dataclass(frozen=True)
class Limits:
    """What one job may use. Defaults: a scenario run takes 0.1-3 s and a manual's PDF 1-3 s on one core."""

    cpu_s: int = 60
    """CPU seconds (``RLIMIT_CPU``); the job is stopped past it."""
    wall_s: int = 60
    """Wall-clock seconds (an alarm in the job; the server kills the job 5 s later if it has not ended)."""
    memory_mb: int = 2048
    """Address space the job may add to what the zygote maps at fork (``RLIMIT_AS``). Generous on purpose:
    numba and LLVM reserve about 1.1 GB of address space to compile pyfixest's kernels, which stays virtual
    (a PPML scenario run's resident size grows by tens of MB); a runaway input is stopped at this line."""


START_TIMEOUT_S = 120.0
"""How long a job may wait for the zygote to come up (first use: it imports pandas, pyfixest, WeasyPrint)."""

GRACE_S = 5.0


class _CpuLimit(BaseException):
    """Raised in a job by SIGXCPU (the soft CPU limit)."""


class _WallLimit(BaseException):
    """Raised in a job by SIGALRM (the wall-clock limit)."""


# ----------------------------------------------------------------------------------------------- in the zygote
def _raise(exc: type[BaseException]) -> Callable[[int, Any], None]:
    def handler(signum: int, frame: Any) -> None:
        raise exc()

    return handler


def _vm_size() -> int:
    """Bytes of address space this process maps now (Linux ``/proc``; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _call(target: str, args: tuple) -> Any:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)(*args)


def _job(conn: Connection, target: str, args: tuple, limits: Limits) -> None:
    """Run one job in this (forked) process under the limits and send ``(kind, ...)`` back (the caller then
    ends the process)."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGXCPU, _raise(_CpuLimit))
    signal.signal(signal.SIGALRM, _raise(_WallLimit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))  # soft: SIGXCPU; hard: SIGKILL
    vm = _vm_size()
    if vm:
        cap = vm + limits.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    signal.alarm(limits.wall_s)
    conn.send(("pid", os.getpid()))
    from lmc.errors import LmcError
    from lmc.web.errors import public_status

    try:
        reply: tuple = ("ok", _call(target, args))
    except _CpuLimit:
        reply = ("limit", f"used more than {limits.cpu_s} s of CPU time")
    except _WallLimit:
        reply = ("timeout", f"took longer than {limits.wall_s} s")
    except MemoryError:
        reply = ("limit", f"needed more than {limits.memory_mb} MB of memory")
    except LmcError as exc:
        reply = ("error", *public_status(exc), str(exc))
    except BaseException:  # noqa: BLE001 - a bug: the server logs the traceback, the client gets a bare 500
        reply = ("bug", traceback.format_exc())
    signal.alarm(0)
    try:
        conn.send(reply)
    except BaseException:  # noqa: BLE001 - e.g. a result too large to pickle under the memory limit
        conn.send(("limit", f"result too large for {limits.memory_mb} MB of memory"))
    conn.close()


def _recv_job(ctrl: socket.socket) -> tuple[int, bytes] | None:
    """One job from the server: a result channel (file descriptor) and the pickled request."""
    header, fds, _, _ = socket.recv_fds(ctrl, 8, 1)
    if not header:
        return None
    (n,) = struct.unpack("!Q", header)
    buf = bytearray()
    while len(buf) < n:
        chunk = ctrl.recv(min(1 << 20, n - len(buf)))
        if not chunk:
            return None
        buf += chunk
    return fds[0], bytes(buf)


def zygote(fd: int, preload: str) -> None:
    """The zygote's main loop (``python -c``): import the ``preload`` modules (comma-separated), then fork one
    limited child per job until the server closes the control socket. Children are reaped by the kernel."""
    ctrl = socket.socket(fileno=fd)
    os.nice(10)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress log is noise in the server's console
    for name in filter(None, preload.split(",")):
        try:
            importlib.import_module(name)
        except ImportError:  # optional speed-up only
            pass
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C at the terminal is for the server, which closes us
    while True:
        try:
            got = _recv_job(ctrl)
        except (OSError, EOFError):
            got = None
        if got is None:
            return
        out_fd, payload = got
        if os.fork() == 0:
            code = 0
            try:
                ctrl.close()
                target, args, limits = pickle.loads(payload)
                _job(Connection(out_fd, readable=False), target, args, limits)
            except BaseException:  # noqa: BLE001 - the server sees the channel close: "stopped"
                code = 70
            finally:
                os._exit(code)
        os.close(out_fd)


# ----------------------------------------------------------------------------------------------- in the server
class WorkerPool:
    """``await pool.run("module:function", *args)``: the function's value, computed in a limited worker process.

    ``size`` jobs at once (one more is :class:`Busy`); ``cache_dir`` receives the workers' library caches and
    temporary files; ``preload`` names the modules the zygote imports before its first job. The zygote starts at
    the first job or at :meth:`start`, and stops at :meth:`close`.
    """

    def __init__(self, size: int = 2, limits: Limits | None = None, cache_dir: Path | None = None,
                 preload: tuple[str, ...] = PRELOAD) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one slot")
        self.size = size
        self.limits = limits or Limits()
        self.cache_dir = cache_dir
        self.preload = preload
        self._lock = threading.Lock()
        self._busy = 0
        self._proc: subprocess.Popen | None = None
        self._ctrl: socket.socket | None = None
        self._pids: set[int] = set()
        self.jobs = 0
        """Jobs handed to a worker so far (a test can tell that a request started no work)."""
        self._waiters = ThreadPoolExecutor(size, thread_name_prefix="lmc-job")  # one blocked reader per slot
        atexit.register(self.close)

    @property
    def busy(self) -> int:
        """Jobs running now."""
        return self._busy

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({k: "1" for k in ONE_THREAD})
        if self.cache_dir is not None:
            c = Path(self.cache_dir)
            for sub in ("tmp", "xdg", "matplotlib"):
                (c / sub).mkdir(parents=True, exist_ok=True)
            env.update(TMPDIR=str(c / "tmp"), XDG_CACHE_HOME=str(c / "xdg"), MPLCONFIGDIR=str(c / "matplotlib"))
        return env

    def start(self) -> None:
        """Start the zygote now (it imports the heavy libraries in the background), unless it runs already."""
        with self._lock:
            self._ensure_zygote()

    def _ensure_zygote(self) -> socket.socket:
        if self._proc is not None and self._proc.poll() is None and self._ctrl is not None:
            return self._ctrl
        self._stop_zygote()
        mine, theirs = socket.socketpair()
        code = "import sys; from lmc.web.workers import zygote; zygote(int(sys.argv[1]), sys.argv[2])"
        try:
            self._proc = subprocess.Popen([sys.executable, "-c", code, str(theirs.fileno()), ",".join(self.preload)],
                                          pass_fds=[theirs.fileno()], env=self._env(), stdin=subprocess.DEVNULL,
                                          close_fds=True)
        finally:
            theirs.close()
        self._ctrl = mine
        return mine

    def _stop_zygote(self) -> None:
        if self._ctrl is not None:
            self._ctrl.close()  # the zygote reads EOF and ends
            self._ctrl = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None

    def close(self) -> None:
        """Stop running jobs and the zygote."""
        with self._lock:
            for pid in list(self._pids):
                _kill(pid)
            self._stop_zygote()

    def _submit(self, target: str, args: tuple) -> Connection:
        payload = pickle.dumps((target, args, self.limits), protocol=pickle.HIGHEST_PROTOCOL)
        for attempt in (1, 2):  # a zygote that died (killed from outside) is replaced once
            ctrl = self._ensure_zygote()
            r, w = os.pipe()
            try:
                socket.send_fds(ctrl, [struct.pack("!Q", len(payload))], [w])
                ctrl.sendall(payload)
                return Connection(r, writable=False)
            except OSError:
                os.close(r)
                if attempt == 2:
                    raise WorkerLost("the worker processes are not available; retry in a moment.") from None
                self._stop_zygote()
            finally:
                os.close(w)
        raise AssertionError("unreachable")

    async def run(self, target: str, *args: Any) -> Any:
        """Run ``target(*args)`` in a worker; :class:`Busy` when all ``size`` slots are taken."""
        with self._lock:
            if self._busy >= self.size:
                raise Busy(f"the server is running {self.size} heavy requests (scenario runs, PDF renders) "
                           f"already; retry in a few seconds.")
            self._busy += 1
            try:
                conn = self._submit(target, args)
            except BaseException:
                self._busy -= 1
                raise
            self.jobs += 1
        pid: list[int] = []
        t0: list[float] = []

        def started(p: int) -> None:
            with self._lock:
                pid.append(p)
                t0.append(time.monotonic())
                self._pids.add(p)

        try:
            reply = await asyncio.get_running_loop().run_in_executor(
                self._waiters, _collect, conn, started, START_TIMEOUT_S, self.limits.wall_s + GRACE_S)
        finally:
            # reached also when the client went away (CancelledError): the job dies with its request
            with self._lock:
                for p in pid:
                    _kill(p)
                    self._pids.discard(p)
                self._busy -= 1
            conn.close()
        return _answer(reply, self.limits, time.monotonic() - t0[0] if t0 else 0.0)


def _collect(conn: Connection, started: Callable[[int], None], start_timeout: float, timeout: float) -> tuple:
    """Blocking (in a thread): the job's pid, then its reply, or why there is none."""
    try:
        if not conn.poll(start_timeout):
            return ("lost", "did not start")
        kind, value = conn.recv()
        if kind == "pid":
            started(value)
        if not conn.poll(timeout):
            return ("timeout", "did not answer in time")
        return conn.recv()
    except (EOFError, OSError):
        return ("died", "ended without an answer")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _answer(reply: tuple, limits: Limits, ran_s: float) -> Any:
    kind = reply[0]
    if kind == "ok":
        return reply[1]
    if kind == "error":
        _, status, code, message = reply
        raise JobError(message, status=status, code=code)
    if kind == "timeout" or (kind == "died" and ran_s >= limits.wall_s):
        raise TooSlow(f"the request took longer than the server's limit of {limits.wall_s} s and was stopped.")
    if kind in ("limit", "died"):
        why = reply[1] if kind == "limit" else f"exceeded the server's limits ({limits.cpu_s} s of CPU, " \
                                                 f"{limits.memory_mb} MB of memory)"
        raise LimitExceeded(f"the request {why} and was stopped; try less demanding values.")
    if kind == "bug":
        log.error("worker job failed:\n%s", reply[1])
        raise JobError("internal error; the server log has the details.", status=500, code="internal_error")
    raise WorkerLost("the worker processes are not available; retry in a moment.")


# ----------------------------------------------------------------------------------------------- result cache
class ResultCache:
    """An in-memory LRU of finished results, single-flight: concurrent requests for the same key share one
    computation (so four clients asking for one PDF start one render, not four)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._done: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, asyncio.Future] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[Any]]) -> Any:
        """The value for ``key``: from the cache, from a computation already running, or ``await compute()``."""
        while (running := self._running.get(key)) is not None and key not in self._done:
            try:
                return await asyncio.shield(running)
            except asyncio.CancelledError:
                if not running.cancelled():
                    raise  # this request was cancelled
                # the request computing it went away (and its job with it): compute it here instead
        if key in self._done:
            self._done.move_to_end(key)
            return self._done[key]
        fut: asyncio.Future = asyncio.get_running_loop().create_future()
        self._running[key] = fut
        try:
            value = await compute()
        except asyncio.CancelledError:
            fut.cancel()
            raise
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # mark it retrieved: waiters may be none
            raise
        finally:
            self._running.pop(key, None)
        fut.set_result(value)
        self._done[key] = value
        while len(self._done) > self.maxsize:
            self._done.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._done)
