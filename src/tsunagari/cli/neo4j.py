"""Commands for Neo4j: export the built graph in Neo4j's formats, push it to a server."""

from __future__ import annotations

from pathlib import Path

import click

from tsunagari.cli._common import config_of, progress_bar


@click.command("export")
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
@click.pass_context
def export_cmd(
    ctx: click.Context, admin_dir: Path | None, script: Path | None, graphml: Path | None
) -> None:
    """Export the built graph for Neo4j (and other tools), without a server.

    Every node and edge with its source and locator. See docs/neo4j.md for loading each
    format.

    \b
    Example:
      tsunagari export --neo4j-import neo4j_import/ && sh neo4j_import/import.sh
      tsunagari export --cypher graph.cypher && cypher-shell -f graph.cypher
      tsunagari export --graphml graph.graphml
    """
    from tsunagari.graph.export import (
        result_from_store,
        write_admin_import,
        write_cypher_script,
        write_graphml,
    )
    from tsunagari.graph.store import open_store

    if not (admin_dir or script or graphml):
        raise click.UsageError(
            "say what to write: --neo4j-import DIR, --cypher FILE or --graphml FILE"
        )
    with open_store(config_of(ctx)) as store:
        result = result_from_store(store)
    if admin_dir:
        files = write_admin_import(result, admin_dir)
        click.echo(f"wrote {len(files)} files to {admin_dir} (run {admin_dir / 'import.sh'})")
    if script:
        n = write_cypher_script(result, script)
        click.echo(f"wrote {script}: {n} statements")
    if graphml:
        nodes, edges = write_graphml(result, graphml)
        click.echo(f"wrote {graphml}: {nodes:,} nodes, {edges:,} edges")


@click.command("push")
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
    from tsunagari.graph.export import result_from_store
    from tsunagari.graph.neo4j_store import push_result
    from tsunagari.graph.store import open_store

    config = config_of(ctx)
    with open_store(config) as store:
        result = result_from_store(store)
    result.nodes = [n for n in result.nodes if n.label != "Source"]  # push writes them anew
    with progress_bar() as progress:
        report = push_result(config.with_(store=uri), result, replace=replace, progress=progress)
    click.echo(
        f"pushed to {uri}: {sum(report.nodes.values()):,} nodes, "
        f"{sum(report.edges.values()):,} edges"
    )


COMMANDS = [export_cmd, push_cmd]
