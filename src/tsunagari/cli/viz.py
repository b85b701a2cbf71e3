"""The pictures: the network view, the map, and the report (the main job)."""

from __future__ import annotations

import atexit
import gc
from pathlib import Path

import click

from tsunagari.cli._common import WordChoice, config_of, progress_bar, write_output
from tsunagari.cli._help import Command
from tsunagari.model import SERVICES
from tsunagari.tables import t


@click.command("network", cls=Command)
@click.option(
    "--prefecture", "-p", default=None, help="One prefecture: name (大阪府) or code (27)."
)
@click.option("--municipality", "-m", default=None, help="One town: its providers and partners.")
@click.option(
    "--around",
    "-a",
    default=None,
    help="An ego view: the ties around one node, by id, name or alternate name.",
)
@click.option(
    "--depth",
    type=click.IntRange(1, 5),
    default=1,
    show_default=True,
    help="With --around: how many ties away to draw.",
)
@click.option(
    "--types",
    default=None,
    help="Only these tie types, comma-separated (PARTNERS_WITH,REFERS_TO,...); "
    "every type can also be switched in the page.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("network.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.pass_context
def network_cmd(
    ctx: click.Context,
    prefecture: str | None,
    municipality: str | None,
    around: str | None,
    depth: int,
    types: str | None,
    out: Path,
) -> None:
    """Write an interactive network view (one self-contained HTML file, works offline).

    Nodes shaped and coloured by type, sized by betweenness; ties styled by type, each
    type switchable in the page; search by name or alternate name; hover for facts and
    sources. A view holds at most 300 nodes: the whole country is drawn summed by
    prefecture; narrow with --prefecture, --municipality or --around.

    \b
    Example:
      tsunagari network --prefecture 大阪府 --out osaka.html
      tsunagari network --municipality 阪南市
      tsunagari network --around 北九州市ひきこもり地域支援センター --depth 2
      tsunagari network -p 福岡県 --types PARTNERS_WITH,REFERS_TO
    """
    from tsunagari.errors import QueryError
    from tsunagari.graph.connect import open_store
    from tsunagari.model import EDGES
    from tsunagari.queries.hubs import prefecture_names
    from tsunagari.queries.places import find_place
    from tsunagari.report import network_data
    from tsunagari.report.views import prefecture_aggregate
    from tsunagari.viz.network import NODE_LIMIT, TooLargeError, render_network

    if sum(x is not None for x in (prefecture, municipality, around)) > 1:
        raise click.UsageError("give one of --prefecture, --municipality or --around")
    chosen = [x.strip() for x in types.split(",") if x.strip()] if types else None
    unknown = [x for x in chosen or () if x not in EDGES]
    if unknown:
        raise click.UsageError(
            f"unknown tie type(s) {', '.join(unknown)}; choose from {', '.join(EDGES)}"
        )
    config = config_of(ctx)
    with open_store(config) as store:
        pref = find_place(store, prefecture, want="Prefecture") if prefecture else None
        town = find_place(store, municipality, want="Municipality") if municipality else None
        data = network_data(
            store,
            prefecture=pref,
            municipality=town,
            around=around,
            depth=depth,
            types=chosen,
            lang=config.lang,
        )
        if not (pref or town or around) and len(data.graph) > NODE_LIMIT:
            data = prefecture_aggregate(data, prefecture_names(store), lang=config.lang)
    try:
        html = render_network(data, lang=config.lang)
    except TooLargeError as e:
        raise QueryError(str(e), ja=e.ja) from None
    write_output(out, html)
    G = data.graph
    click.echo(
        t(
            config.lang,
            f"{out} を書き出し: ノード {len(G):,}、関係 {G.number_of_edges():,}",
            f"wrote {out}: {len(G):,} nodes, {G.number_of_edges():,} ties",
        )
    )


@click.command("map", cls=Command)
@click.option(
    "--service", "-s", type=WordChoice(SERVICES, "services"), default=None, help="Shown first."
)
@click.option(
    "--prefecture", "-p", default=None, help="One prefecture: name (高知県) or code (39)."
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("map.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.option("--specialised", is_flag=True, help="Colour by hikikomori-specialised support only.")
@click.pass_context
def map_cmd(
    ctx: click.Context, service: str | None, prefecture: str | None, out: Path, specialised: bool
) -> None:
    """Write a coverage map: each municipality's boundary filled by its coverage tier.

    Drawn offline as inline SVG (no map tiles); the service can be switched in the page.
    Grey: データなし (unknown); red: なし (a complete source names no provider).

    \b
    Example:
      tsunagari map --service employment_support --out employment.html
      tsunagari map --prefecture 高知県
      tsunagari map --service consultation --specialised --out specialised.html
    """
    from tsunagari.graph.connect import open_store
    from tsunagari.queries.places import find_place
    from tsunagari.report import map_data
    from tsunagari.viz.map import render_map

    config = config_of(ctx)
    with open_store(config) as store:
        pref = find_place(store, prefecture, want="Prefecture") if prefecture else None
        data = map_data(
            store,
            prefecture=pref,
            service=service,
            prevalence=config.prevalence,
            specialised=specialised,
            lang=config.lang,
        )
    write_output(out, render_map(data, lang=config.lang))
    click.echo(
        t(
            config.lang,
            f"{out} を書き出し: 市区町村 {len(data.towns):,}",
            f"wrote {out}: {len(data.towns):,} municipalities",
        )
    )


@click.command("report", cls=Command)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("report"),
    show_default=True,
    help="The folder to write.",
)
@click.option(
    "--lang",
    "lang",
    type=click.Choice(["ja", "en"]),
    default=None,
    help="Language of the report (default: the global --lang, else ja).",
)
@click.pass_context
def report_cmd(ctx: click.Context, out: Path, lang: str | None) -> None:
    """Build the graph from the bundled data if needed, then write the report folder.

    index.html (what was loaded, the gaps and the towns with no support, hubs,
    resilience, links), map.html, network views, and csv/ with every table.

    \b
    Example:
      tsunagari report                       # ./report/index.html, in Japanese
      tsunagari report --out report-en --lang en
    """
    from tsunagari.report import write_report

    config = config_of(ctx)
    with progress_bar() as progress:
        result = write_report(config, out, lang=lang or config.lang, progress=progress)
    click.echo(
        t(
            lang or config.lang,
            f"{out / 'index.html'} ほか {len(result.files) - 1} ファイルを書き出し",
            f"wrote {out / 'index.html'} and {len(result.files) - 1} more files",
        )
    )
    for line in result.skipped:
        click.echo(line)
    # on the way out the interpreter's last garbage collections walk every object still
    # alive, none of it garbage by then (0.2 s after a report); frozen, they are skipped
    atexit.register(gc.freeze)


COMMANDS = [network_cmd, map_cmd, report_cmd]
