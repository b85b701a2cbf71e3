"""The `tsunagari` command: a click group whose commands wrap one library call each."""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from tsunagari.cli._help import Group, lang_of, localised, remember_lang
from tsunagari.config import Config
from tsunagari.errors import FileSystemError, TsunagariError

# Each command and the module of this package that defines it (in its COMMANDS; a test
# holds the two to each other): a command imports its own module only, not every
# command's options and help (~20 ms of a cold `gaps`).
COMMAND_MODULES = {
    "access": "analysis",
    "build": "build",
    "check": "directory",
    "export": "neo4j",
    "funding-summary": "funding",
    "gaps": "analysis",
    "hubs": "analysis",
    "import-funding": "funding",
    "map": "viz",
    "network": "viz",
    "partners": "analysis",
    "push": "neo4j",
    "query": "build",
    "recommend": "siting",
    "report": "viz",
    "resilience": "analysis",
    "resolve": "names",
    "resources": "analysis",
    "stats": "build",
    "template": "directory",
}


class _Group(Group):
    """Turns TsunagariError and file-system errors into one clean line (in the user's
    language) and an exit code; click's own usage errors are shown in that language too.
    Commands are imported when asked for (COMMAND_MODULES)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is None:
            return None
        from importlib import import_module

        commands = import_module(f"{__name__}.{module}").COMMANDS
        return next((c for c in commands if c.name == cmd_name), None)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand as e:  # the close matches among the commands not imported
            raise click.NoSuchCommand(
                e.command_name, possibilities=COMMAND_MODULES, ctx=ctx
            ) from None

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:  # fmt: skip
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as e:
            raise localised(e) from None

    def invoke(self, ctx: click.Context) -> Any:
        _degrade_output()
        try:
            return super().invoke(ctx)
        except TsunagariError as e:
            lang = lang_of(ctx)
            click.echo(f"{'エラー' if lang == 'ja' else 'error'}: {e.text(lang)}", err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            raise localised(e) from None
        except BrokenPipeError:  # `tsunagari … | head`: the reader left; that is no error
            sys.stderr.close()
            sys.exit(0)
        except OSError as e:
            click.echo(f"error: {file_system_message(e)}", err=True)
            sys.exit(FileSystemError.exit_code)


def file_system_message(e: OSError) -> str:
    """The path and the reason, in one line."""
    import os

    reason = e.strerror or str(e)
    if e.filename is None:  # a failed write() names no file
        return f"a file could not be read or written: {reason}"
    also = f" (to {os.fsdecode(e.filename2)})" if e.filename2 is not None else ""
    return f"cannot use {os.fsdecode(e.filename)}{also}: {reason}"


def _degrade_output() -> None:
    """An output encoding that cannot show the text (PYTHONIOENCODING=ascii) gets escapes
    instead of a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            reconfigure(errors="backslashreplace")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="TSUNAGARI_STORE",
    default=None,
    help="Graph store: a path (embedded LadybugDB, default ./tsunagari.lbug) "
    "or a neo4j:// URI. Env: TSUNAGARI_STORE.",
)
@click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    default=None,
    is_eager=True,
    callback=remember_lang,
    help="Language of human-facing text (default ja). Env: TSUNAGARI_LANG.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log one line per stage.")
@click.version_option(package_name="tsunagari")
@click.pass_context
def main(ctx: click.Context, store: str | None, lang: str | None, verbose: bool) -> None:
    """tsunagari (つながり): Japan's support network for hikikomori, the 就職氷河期
    generation and 孤独・孤立 as a graph.

    \b
    Example:
      tsunagari report            # build from the bundled data and write ./report/
      tsunagari gaps --service employment_support --top 20
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
    ctx.obj = Config.from_env().with_(store=store, lang=lang)
