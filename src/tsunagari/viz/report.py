"""The report's index.html: sections of tables (each with its CSV), links and notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tsunagari.viz.html import esc, page
from tsunagari.viz.text import t, word

_TRANSLATED = ("tier", "service", "label", "kind", "consultation_specialised")
LIST_CELL = 6  # items of a list shown in one cell (the CSV has them all)


@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: Sequence[Mapping[str, Any]]  # the rows shown (the CSV holds them all)
    csv: str | None = None  # file name of the whole table
    total: int | None = None  # rows in the CSV, when more than shown
    note: str = ""
    links: Mapping[str, str] = field(default_factory=dict)  # column → row key of its href


@dataclass
class Link:
    href: str  # a relative path this report wrote
    text: str
    detail: str = ""


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    anchor: str = ""
    html: str = ""  # already escaped markup shown first (headline figures, the grid)


@dataclass
class Findings:
    """The numbers a planner reads first (population in persons)."""

    population: int
    towns: int
    people: list[tuple[str, int, int]]  # (what, population, towns): see PEOPLE
    known_share: float  # town × service × any support whose status is known (not unknown)
    sources: int
    dates: tuple[str, str] | None  # oldest and newest source date
    look_first: list[dict[str, Any]]  # specialised consultation rows, worst first, "href"
    prefectures: list[tuple[str, str, str | None]]  # code, name, network page (or None)


PEOPLE = {  # what a headline figure counts: (ja, en, card colour)
    "consultation_far": (
        "相談先（一般の窓口を含む）が県域より近くに知られていない市町村に住む人",
        "live where no consultation (general windows too) is known nearer than the prefecture",
        "",
    ),
    "specialised_far": (
        "ひきこもり専門の相談が県域より近くに知られていない市町村に住む人",
        "live where no hikikomori-specialised consultation is known nearer than the prefecture",
        "",
    ),
    "employment_unknown": (
        "就労支援について「データなし」（漏れなく載せた出典がない）の市町村に住む人",
        "live where the data cannot say whether there is employment support",
        "grey",
    ),
}


@dataclass
class ReportPage:
    title: str
    subtitle: str
    sections: list[Section]
    headers: Mapping[str, str]  # column id → heading in the report's language


def render_report(report: ReportPage, *, lang: str = "ja", assets: str | None = None) -> str:
    """The whole index.html (with `assets`, styled by the report's shared stylesheet)."""
    toc = " · ".join(
        f"<a href='#{esc(s.anchor)}'>{esc(s.title)}</a>" for s in report.sections if s.anchor
    )
    parts = [
        f"<main class='report'><h1>{esc(report.title)}</h1>"
        f"<p class='note'>{esc(report.subtitle)}</p>",
        f"<nav>{toc}</nav>",
    ]
    for s in report.sections:
        parts.append(_section(s, report.headers, lang))
    parts.append("</main>")
    css = "" if assets is not None else REPORT_CSS
    return page(title=report.title, body="\n".join(parts), lang=lang, css=css, assets=assets)


def _section(s: Section, headers: Mapping[str, str], lang: str) -> str:
    anchor = f" id='{esc(s.anchor)}'" if s.anchor else ""
    out = [f"<section{anchor}><h2>{esc(s.title)}</h2>", s.html]
    out += [f"<p>{esc(p)}</p>" for p in s.paragraphs]
    if s.links:
        items = "".join(
            f"<li><a href='{esc(x.href)}'>{esc(x.text)}</a>"
            + (f" <span class='note'>{esc(x.detail)}</span>" if x.detail else "")
            + "</li>"
            for x in s.links
        )
        out.append(f"<ul class='links'>{items}</ul>")
    out += [_table(tb, headers, lang) for tb in s.tables]
    out.append("</section>")
    return "\n".join(out)


def _table(tb: Table, headers: Mapping[str, str], lang: str) -> str:
    caption = esc(tb.title)
    if tb.csv:
        shown = ""
        if tb.total is not None and tb.total > len(tb.rows):
            shown = t(
                lang,
                f"（{len(tb.rows)} / {tb.total:,} 行を表示）",
                f" ({len(tb.rows)} of {tb.total:,} rows)",
            )
        caption += f"{esc(shown)} <a class='csv' href='{esc(tb.csv)}'>CSV</a>"
    head = "".join(f"<th>{esc(headers.get(c) or word(c, lang))}</th>" for c in tb.columns)
    body = []
    for r in tb.rows:
        cells = "".join(
            _linked(_cell(c, r.get(c), lang), r.get(tb.links[c])) if c in tb.links
            else _cell(c, r.get(c), lang)
            for c in tb.columns
        )  # fmt: skip
        body.append(f"<tr>{cells}</tr>")
    if not tb.rows:
        empty = t(lang, "（該当なし）", "(none)")
        body.append(f"<tr><td colspan='{len(tb.columns)}' class='note'>{esc(empty)}</td></tr>")
    note = f"<p class='note'>{esc(tb.note)}</p>" if tb.note else ""
    return (
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )


def _linked(cell: str, href: Any) -> str:
    """A rendered <td> whose text links to `href` (a relative path the report wrote)."""
    if not href or not cell.startswith("<td>"):
        return cell
    return f"<td><a href='{esc(href)}'>{cell[4:-5]}</a></td>"


def _item(column: str, value: str, lang: str) -> str:
    if column in ("via", "services"):
        return word(value, lang)
    if column == "lost":  # "town:service"
        town, _, service = value.rpartition(":")
        return f"{town}:{word(service, lang)}" if town else value
    return value


def _cell(column: str, value: Any, lang: str) -> str:
    if value is None or value == "":
        return "<td class='note'>—</td>"
    if isinstance(value, bool):
        return f"<td>{'✓' if value else ''}</td>"
    if isinstance(value, int):
        return f"<td class='num'>{value:,}</td>"
    if isinstance(value, float):
        text = f"{value:.1%}" if column.endswith("_share") else f"{value:.4g}"
        return f"<td class='num'>{text}</td>"
    if isinstance(value, list | tuple):
        shown = [_item(column, str(v), lang) for v in value]
        more = len(shown) - LIST_CELL
        text = ("、" if lang == "ja" else ", ").join(shown[:LIST_CELL])
        if more > 0:
            text += t(lang, f" ほか{more:,}件", f" and {more:,} more")
        return f"<td>{esc(text)}</td>"
    text = word(str(value), lang) if column in _TRANSLATED else str(value)
    return f"<td>{esc(text)}</td>"


REPORT_CSS = """
.report nav{font-size:.9rem;margin:.3rem 0 1rem}caption{text-align:left;font-weight:600;
padding:.3rem 0}.report table{width:100%}
a.csv{font-weight:normal;font-size:.8rem;margin-left:.5rem}ul.links li{margin:.15rem 0}
section{margin-bottom:1.5rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:.8rem;
margin:.8rem 0}.card{background:#fff;border:1px solid #ddd;border-left:5px solid #d73027;
padding:.6rem .8rem}.card b{display:block;font-size:1.6rem;line-height:1.2}
.card.grey{border-left-color:#999}.card.blue{border-left-color:#4e79a7}
.card span{font-size:.85rem;color:#444}
table.grid td{white-space:normal}table.grid a{white-space:nowrap}
table.grid a+a{margin-right:.9rem;font-size:.8rem}
table.grid .none{color:#888;margin-right:.9rem;white-space:nowrap;font-size:.8rem}
.towns h3{font-size:1rem;margin:.8rem 0 .2rem}.towns p{margin:0;line-height:1.9}
.towns a{margin-right:.6rem;white-space:nowrap}
"""


Tables = Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, Any]]]]


def build_page(
    tables: Tables,
    *,
    notes: Sequence[str],
    betweenness_method: str,
    analyst_notes: Sequence[str] = (),
    measures: Sequence[str] = (),
    skipped: Sequence[str] = (),
    findings: Findings | None = None,
    unserved_services: Sequence[tuple[str, str]] = (
        ("consultation", "specialised"),
        ("employment_support", "any"),
    ),
    top: int = 15,
    lang: str = "ja",
) -> ReportPage:
    """The report's sections from the analysis tables (named as report.write_report names them)."""
    from tsunagari.tables import headers

    def table(name: str, title: str, *, rows: Sequence[Mapping[str, Any]] | None = None,
              columns: Sequence[str] | None = None, note: str = "") -> Table:  # fmt: skip
        cols, whole = tables[name]
        shown = list(whole if rows is None else rows)
        return Table(
            title, columns or cols, shown[:top], csv=f"csv/{name}.csv", total=len(shown), note=note
        )

    sources = tables["sources"][1]
    loaded = Section(
        t(lang, "読み込んだデータ", "What was loaded"),
        [
            t(
                lang,
                f"{len(sources)} の出典から組み立てたグラフです。"
                "すべての事実に出典と箇所があります。",
                f"The graph was built from {len(sources)} sources; every fact carries its source "
                "and locator.",
            )
        ],
        [
            table("sources", t(lang, "出典", "Sources")),
            table("graph", t(lang, "グラフの中身", "Graph contents")),
        ],
        anchor="data",
    )
    loaded.tables[1].rows = list(tables["graph"][1])  # short: show it whole
    if "projects_without_service" in tables:
        idle = tables["projects_without_service"][1]
        cost = sum(r["cost_thousand_yen"] or 0 for r in idle)
        loaded.tables.append(
            table(
                "projects_without_service",
                t(lang, "どの支援にも数えられない事業", "Projects counted for no service"),
                columns=("lead", "name", "cost_thousand_yen", "locator"),
                note=t(
                    lang,
                    f"{len(idle)} 件（事業費 計 {cost:,} 千円）。文書が事業名・事業概要・"
                    "連携自治体の役割のどれにも支援の種類を書いていないため、"
                    "空白の分析ではどの支援にも数えていません。",
                    f"{len(idle)} projects ({cost:,} thousand yen): the document names no "
                    "service in their name, summary or partners' role, so the gap analysis "
                    "counts them for none.",
                ),
            )
        )
    gaps = Section(
        t(lang, "支援の空白", "Gaps in support"),
        [
            t(
                lang,
                "市町村ごとに各支援の最もよいカバーを、何らかの支援とひきこもり専門の支援の両方で"
                "示します: 域内（町内の提供者・町だけが対象）› 広域（複数市町村が対象）› "
                "県域（県全体だけが対象）› データなし（漏れなく載せた出典がなく分からない）› "
                "なし（漏れなく載せた出典があり提供者がいない）。政令市の区は市に含めます。",
                "Each municipality's best coverage of each service, for any support and for "
                "hikikomori-specialised support: local (a provider in or only for the town) › "
                "wide area (several towns) › prefecture-wide › unknown (no source lists them all "
                "there) › none (a source does, and names no provider). Wards count within their "
                "designated city.",
            )
        ],
        [
            table(
                "service_summary",
                t(lang, "支援ごとの市町村数", "Municipalities by service and tier"),
            )
        ],
        anchor="gaps",
    )
    for s, question in unserved_services:
        rows = [r for r in tables["unserved"][1] if r["service"] == s and r["question"] == question]
        cols = ("rank", "municipality", "prefecture", "tier", "population", "estimated")
        kind = (
            word(s, lang)
            if question == "any"
            else word(s, lang) + t(lang, "（ひきこもり専門）", " (specialised)")
        )
        title = t(
            lang,
            f"県域より近い「{kind}」が知られていない市町村（人口順）",
            f"Municipalities with no known {kind} nearer than the prefecture (by population)",
        )
        shown = table("unserved", title, rows=rows, columns=cols)
        shown.links = {"municipality": "href"}
        gaps.tables.append(shown)
    gaps.links = [
        Link(
            "csv/coverage.csv",
            t(
                lang,
                "全市町村・全支援のカバー表（CSV）",
                "Coverage of every municipality and service (CSV)",
            ),
        ),
        Link(
            "csv/prefecture_summary.csv",
            t(lang, "都道府県別の人口カバー率（CSV）", "Population coverage by prefecture (CSV)"),
        ),
    ]
    hub_cols = [c for c in tables["hubs"][0] if c not in ("node", "kind", "brokerage")]
    by_size = sorted(tables["hubs"][1], key=lambda r: -(r.get("effective_size") or 0))
    hubs = Section(
        t(lang, "ネットワークをつなぐ主体", "Who holds the network together"),
        [*analyst_notes, t(lang, f"媒介中心性の計算: {betweenness_method}。",
                           f"Betweenness: {betweenness_method}.")],
        [
            table(
                "hubs",
                t(lang, "離れた相手どうしの間に立つ主体（媒介中心性の順）",
                  "Standing between others (by betweenness)"),
                columns=hub_cols,
                note=" ".join(measures),
            ),
            table(
                "hubs",
                t(lang, "互いを知らない相手をつなぐ主体（実効規模の順）",
                  "Linking contacts who do not know each other (by effective size)"),
                rows=by_size,
                columns=[c for c in hub_cols if c != "rank"],
            ),
            table(
                "communities",
                t(lang, "コミュニティ（県・支援・主な主体で命名）",
                  "Communities (named by prefecture, services and main body)"),
                columns=[c for c in tables["communities"][0] if c != "central"],
            ),
        ],
        anchor="hubs",
    )  # fmt: skip
    resilience = Section(
        t(lang, "閉鎖したときに失われるもの", "What closing each one would lose"),
        [
            t(
                lang,
                "ある団体・拠点が閉じたとき、支援の提供者がいなくなる市町村とその人口、"
                "就労支援・相談から切り離される団体の数。切断点はネットワークを分断する点です。",
                "If one organisation or centre closed: the municipalities left with no provider "
                "of a service and their population, and the organisations cut off from employment "
                "or consultation support. Cut points split the network.",
            )
        ],
        [
            table(
                "resilience",
                t(lang, "影響の大きい順", "Largest effect first"),
                columns=[c for c in tables["resilience"][0] if c != "node"],
            )
        ],
        anchor="resilience",
    )
    views = tables["network_views"][1]
    pictures = Section(
        t(lang, "地図とネットワーク図", "Map and network views"),
        list(skipped),
        html=_views_grid(findings, views, lang),
        anchor="views",
    )
    about = Section(
        t(lang, "このレポートが拠りどころにするもの", "What this rests on"),
        list(notes),
        anchor="notes",
    )
    return ReportPage(
        title=t(
            lang,
            "つながり: ひきこもり・就職氷河期・孤独孤立の支援ネットワーク",
            "tsunagari: Japan's support network report",
        ),
        subtitle=t(
            lang,
            "組み込みデータから作成。「データなし」は分からないこと、「なし」は漏れなく載せた"
            "出典があり提供者がいないことです。",
            'Built from the bundled data. "unknown": the data cannot say; "none": a source lists '
            "them all there and names no provider.",
        ),
        sections=[
            *([_findings(findings, headers(lang), lang)] if findings else []),
            pictures,
            gaps,
            hubs,
            resilience,
            loaded,
            about,
        ],
        headers=headers(lang),
    )


def _people(n: int, lang: str) -> str:
    if lang == "ja":
        oku, man = divmod(round(n / 10_000), 10_000)
        if n < 100_000:
            return f"{n:,}人"
        return f"{oku}億{man}万人" if oku else f"{man:,}万人"
    return f"{n / 1e6:,.1f} million" if n >= 1_000_000 else f"{n:,}"


def _card(value: str, text: str, cls: str = "") -> str:
    return f"<div class='card {cls}'><b>{esc(value)}</b><span>{esc(text)}</span></div>"


def _findings(f: Findings, headers: Mapping[str, str], lang: str) -> Section:
    """Headline numbers, how complete the data is, and the towns to look at first."""
    cards = []
    for key, pop, towns in f.people:
        ja, en, colour = PEOPLE[key]
        share = f"{pop / f.population:.0%}" if f.population else "—"
        text = t(
            lang,
            f"{ja}（{towns:,}市町村、人口の{share}）",
            f"{en} ({towns:,} municipalities, {share})",
        )
        cards.append(_card(_people(pop, lang), text, colour))
    dates = f"{f.dates[0]}〜{f.dates[1]}" if f.dates else ""
    cards.append(
        _card(
            f"{f.known_share:.0%}",
            t(
                lang,
                f"市町村×支援のうち、データで状況がわかる割合（出典 {f.sources} 件、{dates}）",
                f"of municipality × service whose status the data can tell ({f.sources} "
                f"sources, {dates})",
            ),
            "blue",
        )
    )
    intro = t(
        lang,
        "数字は読み込んだデータの中での値です。「知られていない」「データなし」は"
        "読み込んだデータの中にないという意味で、実際に支援がないとは限りません。"
        "まず下の市町村のページで、何があり何がわからないかを確かめてください。",
        "Figures are within the loaded data: not known here does not mean absent on the "
        "ground. Start with the pages of the towns below: what exists and what is unknown.",
    )
    look = Table(
        t(
            lang,
            "まず見るべき市町村（ひきこもり専門の相談が遠い順、同じなら人口順）",
            "Municipalities to look at first (specialised consultation farthest, then population)",
        ),
        (
            "rank",
            "municipality",
            "prefecture",
            "consultation_specialised",
            "services_found",
            "population",
            "estimated",
        ),
        f.look_first,
        csv="csv/coverage.csv",
        links={"municipality": "href"},
        note=t(
            lang,
            "市町村名をクリックすると、その市町村のページ"
            "（支援ごとの状況・連絡先・出典、A4印刷可）を開きます。",
            "Click a name for the town's page (per service, contacts, sources; prints on A4).",
        ),
    )
    more = (
        f"<p><a href='map.html'>{esc(t(lang, '地図で見る', 'See the map'))}</a> · "
        f"<a href='towns/index.html'>{esc(t(lang, '全市町村のページ', 'Every town'))}</a></p>"
    )
    return Section(
        t(lang, "まず知ってほしいこと", "Findings first"),
        [intro],
        [look],
        anchor="findings",
        html="<div class='cards'>" + "".join(cards) + "</div>" + more,
    )


REGIONS = (  # prefecture code ranges (first two digits) of the usual eight regions
    ("北海道", "Hokkaido", 1, 1),
    ("東北", "Tohoku", 2, 7),
    ("関東", "Kanto", 8, 14),
    ("中部", "Chubu", 15, 23),
    ("近畿", "Kinki", 24, 30),
    ("中国", "Chugoku", 31, 35),
    ("四国", "Shikoku", 36, 39),
    ("九州・沖縄", "Kyushu, Okinawa", 40, 47),
)


def _views_grid(f: Findings | None, views: Sequence[Mapping[str, Any]], lang: str) -> str:
    """One row per region: each prefecture's map, and its network view or the word none."""
    national = [v for v in views if v["file"] == "network.html"]
    country = t(lang, "全国のネットワーク", "National network")
    head = (
        f"<p><a href='map.html'>{esc(t(lang, '全国の地図', 'Map of Japan'))}</a>"
        + (f" · <a href='network.html'>{esc(country)}</a>" if national else "")
        + f" · <a href='towns/index.html'>{esc(t(lang, '市町村のページ', 'Town pages'))}</a></p>"
    )
    if f is None:
        return head
    rows = []
    net = t(lang, "連携図", "network")
    no_net = t(lang, "連携図なし", "no network")
    for ja, en, lo, hi in REGIONS:
        cells = []
        for code, name, file in f.prefectures:
            if lo <= int(code[:2]) <= hi:
                link = f"<a href='map.html#{esc(code)}'>{esc(name)}</a>"
                if file:
                    link += f"<a href='{esc(file)}'>[{esc(net)}]</a>"
                else:
                    link += f"<span class='none'>[{esc(no_net)}]</span>"
                cells.append(link)
        rows.append(f"<tr><th>{esc(t(lang, ja, en))}</th><td>{''.join(cells)}</td></tr>")
    note = t(
        lang,
        "県名: その県に拡大した地図。[連携図]: その県の支援ネットワーク図。"
        "[連携図なし]: 読み込んだデータにその県の関係（連携・委託・参加など）がありません。",
        "Name: the map zoomed to the prefecture. [network]: its network view. "
        "[no network]: the loaded data has no ties there.",
    )
    return head + f"<table class='grid'>{''.join(rows)}</table><p class='note'>{esc(note)}</p>"


def render_town_index(
    groups: Sequence[tuple[str, Sequence[tuple[str, str]]]],
    *,
    lang: str = "ja",
    assets: str | None = None,
) -> str:
    """towns/index.html: every municipality's page, by prefecture."""
    title = t(lang, "市町村のページ一覧", "Every municipality's page")
    parts = [
        f"<main class='towns'><p><a href='../index.html'>{esc(t(lang, 'レポート', 'report'))}</a>"
        f"</p><h1>{esc(title)}</h1>"
    ]
    for pref, towns in groups:
        links = "".join(
            f"<a href='{esc(code[:2])}.html#{esc(code)}'>{esc(name)}</a>" for code, name in towns
        )
        parts.append(f"<h3>{esc(pref)}</h3><p>{links}</p>")
    parts.append("</main>")
    css = "" if assets is not None else REPORT_CSS
    return page(title=title, body="".join(parts), lang=lang, css=css, assets=assets)
