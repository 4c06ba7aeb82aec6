"""The ``lmc`` command line: a thin layer over the library.

Each command module in this package exposes ``register(app)``; commands parse options, call one library function,
render its typed result with Rich (or as JSON/CSV) and set the exit code. User errors (:class:`lmc.errors.LmcError`)
print one clear line on stderr and exit with code 2, never a traceback.
"""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from lmc import __version__
from lmc.errors import LmcError


class _LmcGroup(TyperGroup):
    """Root group: turns library errors into a one-line message and exit code 2."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except LmcError as exc:
            # typer vendors its own click, so its Exit is the one exception it surely turns into an exit code
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(code=2) from exc


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
