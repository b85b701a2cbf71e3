"""Export the built graph (Neo4j formats, GraphML, HSDS 3.0, Kumu); push it to a Neo4j server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from tsunagari.cli._common import config_of, progress_bar
from tsunagari.cli._help import Command
from tsunagari.tables import t


@click.command("export", cls=Command)
@click.option(
    "--neo4j-import",
    "admin_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for CSV files (and import.sh) for `neo4j-admin database import full`.",
)
@click.option(
    "--cypher",
    "script",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A cypher-shell script: constraints, then parameterised MERGE batches.",
)
@click.option(
    "--graphml",
    type=click.Path(dir_okay=False, path_type=Path),
    help="GraphML for Gephi, yEd, networkx or Neo4j's APOC import.",
)
@click.option(
    "--hsds",
    "hsds_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for an Open Referral HSDS 3.0 tabular data package (CSV + datapackage.json).",
)
@click.option(
    "--kumu",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Kumu JSON (blueprint) of the network view's scope, for analysts' stakeholder maps.",
)
@click.option("--prefecture", "-p", default=None, help="--kumu only: one prefecture (大阪府, 27).")
@click.option("--municipality", "-m", default=None, help="--kumu only: one town's network.")
@click.pass_context
def export_cmd(
    ctx: click.Context,
    admin_dir: Path | None,
    script: Path | None,
    graphml: Path | None,
    hsds_dir: Path | None,
    kumu: Path | None,
    prefecture: str | None,
    municipality: str | None,
) -> None:
    """Export the built graph for Neo4j, Gephi, HSDS directories and Kumu, without a server.

    Every node and edge with its source and locator. See docs/neo4j.md for loading the
    Neo4j formats and docs/interop.md for HSDS and Kumu.

    \b
    Example:
      tsunagari export --neo4j-import neo4j_import/ && sh neo4j_import/import.sh
      tsunagari export --cypher graph.cypher && cypher-shell -f graph.cypher
      tsunagari export --graphml graph.graphml
      tsunagari export --hsds hsds/ && tsunagari --store copy.lbug build --with hsds/
      tsunagari export --kumu osaka.json --prefecture 大阪府
    """
    from tsunagari.graph.connect import open_store

    if not (admin_dir or script or graphml or hsds_dir or kumu):
        raise click.UsageError(
            "say what to write: --neo4j-import DIR, --cypher FILE, --graphml FILE, "
            "--hsds DIR or --kumu FILE"
        )
    if (prefecture or municipality) and not kumu:
        raise click.UsageError("--prefecture and --municipality choose the scope of --kumu")
    if prefecture and municipality:
        raise click.UsageError("give --prefecture or --municipality, not both")
    config = config_of(ctx)
    with open_store(config) as store:
        if hsds_dir:
            from tsunagari.graph.hsds_export import export_hsds

            counts = export_hsds(store, hsds_dir)
            filled = ", ".join(f"{t} {n:,}" for t, n in counts.items() if n)
            click.echo(
                t(config.lang, f"{hsds_dir} を書き出し（HSDS 3.0）: {filled}",
                  f"wrote {hsds_dir} (HSDS 3.0): {filled}")
            )  # fmt: skip
        if kumu:
            _write_kumu(store, kumu, prefecture, municipality, lang=config.lang)
        if not (admin_dir or script or graphml):
            return
        from tsunagari.graph.export import result_from_store

        result = result_from_store(store)
    _write_neo4j(result, admin_dir, script, graphml, lang=config.lang)


def _write_kumu(
    store: Any, out: Path, prefecture: str | None, municipality: str | None, *, lang: str
) -> None:
    from tsunagari.queries.places import find_place
    from tsunagari.report import network_data
    from tsunagari.viz.kumu import render_kumu

    pref = find_place(store, prefecture, want="Prefecture") if prefecture else None
    town = find_place(store, municipality, want="Municipality") if municipality else None
    data = network_data(store, prefecture=pref, municipality=town, lang=lang, annotate=True)
    blueprint = render_kumu(data, lang=lang)
    out.write_text(json.dumps(blueprint, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elements, connections = len(blueprint["elements"]), len(blueprint["connections"])
    click.echo(
        t(lang, f"{out} を書き出し（Kumu）: 要素 {elements:,}、つながり {connections:,}",
          f"wrote {out} (Kumu): {elements:,} elements, {connections:,} connections")
    )  # fmt: skip


def _write_neo4j(
    result: Any, admin_dir: Path | None, script: Path | None, graphml: Path | None, *, lang: str
) -> None:
    from tsunagari.graph.export import write_admin_import, write_cypher_script, write_graphml

    if admin_dir:
        files = write_admin_import(result, admin_dir)
        sh = admin_dir / "import.sh"
        click.echo(
            t(lang, f"{admin_dir} に {len(files)} ファイルを書き出し（{sh} を実行）",
              f"wrote {len(files)} files to {admin_dir} (run {sh})")
        )  # fmt: skip
    if script:
        n = write_cypher_script(result, script)
        click.echo(t(lang, f"{script} を書き出し: 文 {n}", f"wrote {script}: {n} statements"))
    if graphml:
        nodes, edges = write_graphml(result, graphml)
        click.echo(
            t(lang, f"{graphml} を書き出し: ノード {nodes:,}、関係 {edges:,}",
              f"wrote {graphml}: {nodes:,} nodes, {edges:,} edges")
        )  # fmt: skip


@click.command("push", cls=Command)
@click.option("--neo4j", "uri", required=True, metavar="URI",
              help="The server, e.g. neo4j://localhost:7687 (user, password and database from "
              "TSUNAGARI_NEO4J_USER, _PASSWORD, _DATABASE).")  # fmt: skip
@click.option("--replace", is_flag=True, help="Empty the Neo4j database first.")
@click.pass_context
def push_cmd(ctx: click.Context, uri: str, replace: bool) -> None:
    """Load the built embedded graph into a Neo4j 5 server (MERGE on keys: safe to repeat).

    \b
    Example:
      TSUNAGARI_NEO4J_PASSWORD=secret tsunagari push --neo4j neo4j://localhost:7687
      tsunagari --store neo4j://localhost:7687 gaps --top 10
    """
    from tsunagari.graph.connect import open_store
    from tsunagari.graph.export import result_from_store
    from tsunagari.graph.neo4j_store import push_result

    config = config_of(ctx)
    with open_store(config) as store:
        result = result_from_store(store)
    result.nodes = [n for n in result.nodes if n.label != "Source"]  # push writes them anew
    with progress_bar() as progress:
        report = push_result(config.with_(store=uri), result, replace=replace, progress=progress)
    nodes, edges = sum(report.nodes.values()), sum(report.edges.values())
    click.echo(
        t(config.lang, f"{uri} に読み込み: ノード {nodes:,}、関係 {edges:,}",
          f"pushed to {uri}: {nodes:,} nodes, {edges:,} edges")
    )  # fmt: skip


COMMANDS = [export_cmd, push_cmd]
