"""The ``lmc`` command line: a thin layer over the library.

Each command module in this package exposes ``register(app)``; commands parse options, call one library function,
render its typed result with Rich (or as JSON/CSV) and set the exit code. No command ever ends in a traceback: user
errors (:class:`lmc.errors.LmcError`, and an OS error naming a file, such as an unwritable ``--out``) print one
clear line on stderr and exit with code 2; any other exception is a bug, reported in one line with the path of a
log file holding the traceback, exit code 1.
"""

from __future__ import annotations

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from lmc import __version__
from lmc.errors import LmcError


class _LmcGroup(TyperGroup):
    """Root group: every exception a command raises ends as one line on stderr and an exit code (see above)."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise  # typer's own exits and usage errors (exit code 2 with usage text)
        except LmcError as exc:
            _fail(f"Error: {exc}", 2, exc)
        except KeyboardInterrupt as exc:
            _fail("Interrupted.", 130, exc)
        except BrokenPipeError as exc:  # output piped into `head` and the like: stop quietly
            _quiet_stdout()
            raise typer.Exit(code=1) from exc
        except OSError as exc:
            if exc.filename is None:
                _fail(_internal(exc), 1, exc)
            names = f"{exc.filename}" + (f" -> {exc.filename2}" if exc.filename2 else "")
            _fail(f"Error: {exc.strerror or type(exc).__name__}: {names}", 2, exc)
        except Exception as exc:  # a bug: one line, and the traceback in a log file
            _fail(_internal(exc), 1, exc)


def _fail(message: str, code: int, exc: BaseException) -> None:
    # typer vendors its own click, so its Exit is the one exception it surely turns into an exit code
    typer.echo(message, err=True)
    raise typer.Exit(code=code) from exc


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again on the closed pipe."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _internal(exc: BaseException) -> str:
    """The one line of an internal error, after writing the traceback to a log file."""
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    log = _crash_log(exc)
    where = f"the traceback is in {log}" if log else "no log file could be written"
    return f"Internal error (a bug in lmc {__version__}): {type(exc).__name__}: {first} ({where})"


def _crash_log(exc: BaseException):  # type: ignore[no-untyped-def]
    """Write the traceback to ``<home>/logs/`` (or the temporary folder when home is unusable); its path or None."""
    import datetime as dt
    import os
    import sys
    import tempfile
    import traceback
    from pathlib import Path

    from lmc.atomic import write_text

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = (f"lmc {__version__}, Python {sys.version.split()[0]}\ncommand: {' '.join(sys.argv)}\n\n"
            + "".join(traceback.format_exception(exc)))
    folders = []
    try:
        from lmc.config import get_settings

        folders.append(get_settings().home / "logs")
    except Exception:  # the settings themselves may be what is broken
        pass
    folders.append(Path(tempfile.gettempdir()))
    for folder in folders:
        path = folder / f"lmc-crash-{stamp}-{os.getpid()}.log"
        try:
            write_text(path, text)
            return path
        except OSError:
            continue
    return None


app = typer.Typer(
    name="lmc",
    cls=_LmcGroup,
    help="LMC Observatory: open, reproducible analytics for soft connectivity in the Lancang-Mekong region.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lmc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """LMC Observatory command line."""


def _register_all() -> None:
    # One module per command family; the order here is the order in `lmc --help`.
    from lmc.cli import (
        build,
        corridor,
        data,
        flows,
        guide,
        index,
        mechanisms,
        serve,
    )

    for module in (build, data, index, flows, corridor, guide, mechanisms, serve):
        module.register(app)


_register_all()


def main() -> None:
    """Console-script entry point."""
    app()
