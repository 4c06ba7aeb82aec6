"""The worker pool (lmc.web.workers) on its own: real worker processes under real limits.

Each limit is crossed on purpose with a standard-library function as the job (``time:sleep`` for the wall clock,
``math:factorial`` for CPU, ``bytearray`` for memory): the job's process ends and the pool answers with the
documented error; a full pool answers 429 at once; a request that goes away takes its job with it.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest

from lmc.web.errors import Busy, JobError, LimitExceeded, TooSlow
from lmc.web.workers import Limits, ResultCache, WorkerPool


def _pool(tmp_path, **limits) -> WorkerPool:
    # nothing preloaded: these jobs need only the standard library, and the zygote starts in a blink
    return WorkerPool(1, Limits(**{"cpu_s": 30, "wall_s": 30, "memory_mb": 256, **limits}),
                      cache_dir=tmp_path / "cache", preload=())


@pytest.fixture()
def pool(tmp_path):
    p = _pool(tmp_path)
    yield p
    p.close()


def test_a_job_runs_in_a_worker_process_and_returns_its_value(pool):
    assert asyncio.run(pool.run("os:getpid")) != os.getpid()
    assert asyncio.run(pool.run("math:comb", 10, 3)) == 120
    assert pool.jobs == 2 and pool.busy == 0


def test_wall_clock_limit_stops_the_job(tmp_path):
    pool = _pool(tmp_path, wall_s=2)
    try:
        t = time.monotonic()
        with pytest.raises(TooSlow, match="2 s"):
            asyncio.run(pool.run("time:sleep", 60))
        assert time.monotonic() - t < 50  # stopped at the limit (plus the zygote's start), not after 60 s
    finally:
        pool.close()


def test_cpu_limit_stops_the_job(tmp_path):
    # factorial(10**8) computes in C for many minutes: SIGXCPU at 1 s of CPU cannot interrupt it, the hard limit
    # (one second later) kills the process
    pool = _pool(tmp_path, cpu_s=1, wall_s=600)
    try:
        with pytest.raises(LimitExceeded, match="stopped"):
            asyncio.run(pool.run("math:factorial", 10**8))
    finally:
        pool.close()


def test_memory_limit_stops_the_job(pool):
    with pytest.raises(LimitExceeded, match="256 MB of memory"):
        asyncio.run(pool.run("builtins:bytearray", 2**31))
    assert asyncio.run(pool.run("math:comb", 4, 2)) == 6  # the pool goes on


def test_library_errors_keep_status_and_message_bugs_do_not_leak(pool):
    with pytest.raises(JobError) as err:
        asyncio.run(pool.run("lmc.flows.scenarios:load_scenario", "no-such-scenario"))
    assert err.value.status == 400 and "unknown scenario 'no-such-scenario'" in str(err.value)
    with pytest.raises(JobError) as bug:
        asyncio.run(pool.run("json:loads", "{"))  # not an LmcError: a bug
    assert bug.value.status == 500 and str(bug.value) == "internal error; the server log has the details."


def test_a_full_pool_answers_busy_at_once(pool):
    holder = threading.Thread(target=lambda: asyncio.run(pool.run("time:sleep", 2)))
    holder.start()
    deadline = time.monotonic() + 10
    while pool.busy == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    t = time.monotonic()
    with pytest.raises(Busy) as busy:
        asyncio.run(pool.run("math:comb", 4, 2))
    assert time.monotonic() - t < 0.5 and busy.value.status == 429 and busy.value.retry_after > 0
    holder.join()
    assert pool.busy == 0 and asyncio.run(pool.run("math:comb", 4, 2)) == 6


def test_a_cancelled_request_kills_its_job(pool):
    async def go():
        task = asyncio.create_task(pool.run("time:sleep", 30))
        while not pool._pids:  # the job's process has started
            await asyncio.sleep(0.02)
        (pid,) = pool._pids
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return pid

    pid = asyncio.run(go())
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert pool.busy == 0


def test_worker_caches_and_temporary_files_go_to_the_declared_folder(pool, tmp_path):
    assert asyncio.run(pool.run("tempfile:gettempdir")) == str(tmp_path / "cache" / "tmp")
    env = asyncio.run(pool.run("os:getenv", "XDG_CACHE_HOME")), asyncio.run(pool.run("os:getenv", "MPLCONFIGDIR"))
    assert env == (str(tmp_path / "cache" / "xdg"), str(tmp_path / "cache" / "matplotlib"))
    assert asyncio.run(pool.run("os:getenv", "OPENBLAS_NUM_THREADS")) == "1"


def test_result_cache_shares_one_computation_between_concurrent_requests():
    calls = []

    async def compute():
        calls.append(1)
        await asyncio.sleep(0.05)
        return "value"

    async def go():
        cache = ResultCache(2)
        got = await asyncio.gather(*[cache.get("k", compute) for _ in range(4)])
        again = await cache.get("k", compute)
        return got, again

    got, again = asyncio.run(go())
    assert got == ["value"] * 4 and again == "value" and len(calls) == 1
