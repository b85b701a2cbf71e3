"""A town's page for its secretariat: what exists per service and at which tier, contacts,
who stands behind each provider, platforms, referral paths, projects, what is unknown and
the sources; printable on A4. Rendered from gathered results with string templates only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tsunagari.viz.html import esc, page
from tsunagari.viz.text import t, word

TIER_COLOURS = {  # best to worst; a tier the palette does not know gets FALLBACK_COLOUR
    "local": "#1a9850",
    "wide_area": "#91cf60",
    "prefecture": "#fee08b",
    "unknown": "#d0d0d0",
    "none": "#d73027",
}
FALLBACK_COLOUR = "#9e9ac8"
REVIEW = "review_required"
NOT_KNOWN = ("unknown", "none")  # no provider known: no data, or a complete source lists none


def tier_colour(tier: str) -> str:
    return TIER_COLOURS.get(tier, FALLBACK_COLOUR)


@dataclass
class TownPage:
    town: Mapping[str, Any]  # code, name, kind, prefecture, population, estimated, city
    tiers: Sequence[Mapping[str, Any]]  # per service: service, tier, specialised, providers
    providers: Sequence[Mapping[str, Any]]  # one per provider: name, label, kind, services …
    platforms: Sequence[Mapping[str, Any]] = ()
    paths: Sequence[Mapping[str, Any]] = ()
    projects: Sequence[Mapping[str, Any]] = ()
    sources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # id → source row
    links: Sequence[tuple[str, str]] = ()  # (href, text) to the report's other pages
    specialised: bool = False  # the tiers carry a specialised column
    # providers every town of the prefecture has alike (prefecture-wide, no contact): a
    # report shows them once per prefecture, a page alone with the town's own
    shared: Sequence[Mapping[str, Any]] = ()


def render_town(p: TownPage, *, lang: str = "ja", assets: str | None = None) -> str:
    """One town's page alone, its prefecture-wide providers with its own."""
    whole = replace(p, providers=[*p.providers, *p.shared], shared=())
    nav = _nav(p.links)
    body = f"<main class='town'>{nav}{_town_body(whole, lang)}</main>"
    css = TOWN_CSS if assets is None else ""
    return page(title=_title(p), body=body, lang=lang, css=css, assets=assets)


def render_prefecture_towns(
    pages: Sequence[TownPage],
    *,
    prefecture: str,
    links: Sequence[tuple[str, str]] = (),
    lang: str = "ja",
    assets: str | None = None,
) -> str:
    """The pages of a prefecture's towns in one file: `file#CODE` shows (and prints) that
    town alone with the providers all its towns share and the sources, listed once for
    the file (a town's [n] is its number there); the file alone lists the towns."""
    shared = pages[0].shared if pages else ()
    sources: dict[str, Mapping[str, Any]] = {}
    for p in pages:
        sources.update(p.sources)
    numbers = {i: n for n, i in enumerate(sources, start=1)}
    towns = "".join(f"<a href='#{esc(p.town['code'])}'>{esc(p.town['name'])}</a>" for p in pages)
    title = t(lang, f"{prefecture}の市町村", f"Municipalities of {prefecture}")
    parts = [
        f"<main class='town'>{_nav(links)}<div class='pi'>",
        f"<h1>{esc(title)}</h1><p class='towns'>{towns}</p></div>",
        *(
            f"<section class='town' id='{esc(p.town['code'])}'>{_nav(p.links)}"
            f"{_town_body(p, lang, legend=False, numbers=numbers)}</section>"
            for p in pages
        ),
        _legend(lang),  # once for all towns, shown (and printed) with each
    ]
    if shared:
        heading = t(
            lang,
            f"{prefecture}の全市町村に共通の提供者",
            f"Providers every municipality of {prefecture} shares",
        )
        parts.append(
            f"<section class='shared'>{_h2(heading)}{_provider_table(shared, {}, lang)}</section>"
        )
    parts.append(f"<div class='sources'>{_sources(sources, lang)}</div></main>")
    css = TOWN_CSS if assets is None else ""
    return page(title=title, body="".join(parts), lang=lang, css=css, assets=assets)


def _nav(links: Sequence[tuple[str, str]]) -> str:
    items = " · ".join(f"<a href='{esc(h)}'>{esc(x)}</a>" for h, x in links)
    return f"<p class='nav'>{items}</p>" if items else ""


def _title(p: TownPage) -> str:
    tw = p.town
    where = f"{tw['prefecture']} {tw['city']}" if tw.get("city") else tw["prefecture"]
    return f"{tw['name']}（{where}）"


def _town_body(
    p: TownPage, lang: str, *, legend: bool = True, numbers: Mapping[str, int] | None = None
) -> str:
    """The town's sections; with `numbers` (a file's list of sources) its sources are cited
    by their number there and not listed here."""
    tw = p.town
    pop = tw.get("population")
    facts = [
        word(tw.get("kind"), lang),
        t(lang, "人口", "population")
        + " "
        + (f"{pop:,}" if pop is not None else t(lang, "不明", "unknown")),
    ]
    if tw.get("estimated") is not None:
        facts.append(t(lang, "推計ひきこもり数", "est. in hikikomori") + f" {tw['estimated']:,}")
    facts.append(t(lang, "団体コード", "code") + f" {tw['code']}")
    return "".join(
        [
            f"<h1>{esc(_title(p))}</h1><p class='note'>{esc(' · '.join(facts))}</p>",
            _tiers(p, lang, legend=legend),
            _providers(p, lang, numbers),
            _platforms(p, lang),
            _paths(p, lang),
            _projects(p, lang),
            _unknown(p, lang),
            _sources(p.sources, lang) if numbers is None else "",
        ]
    )


def _h2(text: str) -> str:
    return f"<h2>{esc(text)}</h2>"


def _chip(tier: str, lang: str) -> str:
    cls = tier if tier in TIER_COLOURS else "other"
    return f"<i class='swatch {cls}'></i>{esc(word(tier, lang))}"


def _tiers(p: TownPage, lang: str, *, legend: bool = True) -> str:
    """Each tier, best first, with the services this town has at it (the providers are in
    the table below); then the same for hikikomori-specialised support, the services with
    nothing known (データなし, なし) there summed up in one line."""
    sep = "、" if lang == "ja" else ", "

    def by_tier(key: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for r in p.tiers:
            if r.get(key):
                found.setdefault(r[key], []).append(word(r["service"], lang))
        order = sorted(
            found, key=lambda x: list(TIER_COLOURS).index(x) if x in TIER_COLOURS else 99
        )
        return {x: found[x] for x in order}

    def items(found: dict[str, list[str]]) -> str:
        return "".join(f"<li>{_chip(x, lang)}: {esc(sep.join(v))}</li>" for x, v in found.items())

    out = _h2(t(lang, "支援ごとのカバー", "Coverage by service"))
    out += f"<ul class='tiers'>{items(by_tier('tier'))}</ul>"
    if p.specialised:
        found = by_tier("specialised")
        known = {x: v for x, v in found.items() if x not in NOT_KNOWN}
        rest = [x for x in found if x in NOT_KNOWN]
        head = t(lang, "うちひきこもり専門の支援", "Of which hikikomori-specialised")
        if rest:
            others = "、".join(word(x, lang) for x in rest)
            if known:
                head += t(lang, f"（ほかの支援は{others}）", f" (the other services: {others})")
            else:
                head += t(lang, f": すべて{others}", f": all {others}")
        out += f"<p>{esc(head)}</p>"
        out += f"<ul class='tiers'>{items(known)}</ul>" if known else ""
    return out + (_legend(lang) if legend else "")


def _legend(lang: str) -> str:
    order = " › ".join(word(x, lang) for x in TIER_COLOURS)
    return f"<p class='note'>{esc(t(lang, '階層（よい順）: ', 'Tiers, best first: ') + order)}</p>"


def _table(head: Sequence[str], rows: Sequence[str], cls: str = "") -> str:
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    c = f" class='{cls}'" if cls else ""
    return f"<table{c}><thead><tr>{th}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _none(lang: str) -> str:
    return (
        "<p class='note'>"
        + esc(t(lang, "なし（読み込んだデータにない）", "none in the loaded data"))
        + "</p>"
    )


def _providers(p: TownPage, lang: str, numbers: Mapping[str, int] | None = None) -> str:
    head = _h2(t(lang, "提供者と連絡先", "Providers and contacts"))
    shared = ""
    if p.shared:
        shared = (
            "<p class='note'>"
            + esc(
                t(
                    lang,
                    f"ほかに、県内の全市町村に共通の提供者が{len(p.shared)}件あります（下の表）。",
                    f"Also {len(p.shared)} providers every town of the prefecture shares (below).",
                )
            )
            + "</p>"
        )
    if not p.providers:
        return head + (shared or _none(lang))
    if numbers is None:
        numbers = {i: n for n, i in enumerate(p.sources, start=1)}
    return head + _provider_table(p.providers, numbers, lang) + shared


def _provider_table(
    providers: Sequence[Mapping[str, Any]], numbers: Mapping[str, int], lang: str
) -> str:
    """Providers with contacts and who stands behind them; a source as its number in the
    page's list (`numbers`), else by its short title."""
    rows = []
    for r in providers:
        kind = word(r.get("kind") or r.get("label"), lang)
        served = "、".join(f"{word(s, lang)}（{word(tier, lang)}）" for s, tier in r["services"])
        first = f"<b>{esc(r['name'])}</b><br><span class='note'>{esc(kind)}"
        if r.get("specialised"):
            first += esc(t(lang, " · ひきこもり専門", " · specialised"))
        first += f"</span><br>{esc(served)}"
        contact = []
        for key, value in r.get("contacts", ()):
            if key == "status" and value == REVIEW:
                contact.append(f"<b class='warn'>{esc(t(lang, '要確認', 'to be checked'))}</b>")
            elif key not in ("status", "verification") or value == "human_verified":
                contact.append(_contact(key, value, lang))
        behind = [
            f"{esc(word(k, lang))}: {esc(_some(v, lang))}" for k, v in r.get("behind", ()) if v
        ]
        number = numbers.get(r.get("source") or "")
        cite = f"[{number}]" if number else esc(r.get("source_title") or r.get("source") or "")
        if r.get("as_of"):
            cite += f" <span class='note'>({esc(r['as_of'])})</span>"
        rows.append(
            f"<tr><td>{first}</td><td>{'<br>'.join(contact) or '—'}</td>"
            f"<td>{'<br>'.join(behind) or '—'}</td><td>{cite}</td></tr>"
        )
    head = [
        t(lang, "提供者・支援", "provider, services"),
        t(lang, "連絡先", "contact"),
        t(lang, "運営・委託・実施", "run, commissioned, funded by"),
        t(lang, "出典", "source"),
    ]
    return _table(head, rows, "providers")


SHOWN_NAMES = 3  # names in one cell; the rest counted (a wide-area project's partners)


def _some(names: Sequence[str], lang: str) -> str:
    shown = "、".join(names[:SHOWN_NAMES])
    more = len(names) - SHOWN_NAMES
    return shown + (t(lang, f" ほか{more}", f" and {more} more") if more > 0 else "")


CONTACT_WORDS = {  # model.CONTACT_PROPS in words; a property not listed shows its name
    "address": ("所在地", "address"),
    "phone": ("電話", "phone"),
    "hours": ("受付時間", "hours"),
    "url": ("公式ページ", "official page"),
    "url_publisher": ("掲載元", "published by"),
    "url_checked": ("確認日", "checked"),
    "delivery_modes": ("受付方法", "how"),
    "status": ("状態", "status"),
    "verification": ("確認方法", "verification"),
}
MODE_WORDS = {
    "phone": ("電話", "phone"),
    "visit": ("来所", "visit"),
    "home_visit": ("訪問", "home visit"),
    "online": ("オンライン", "online"),
    "email": ("メール", "email"),
    "human_verified": ("人が確認", "checked by a person"),
    "primary_source_import": ("公的ページから取り込み", "imported from an official page"),
    "published": ("公開", "published"),
}


def _contact(key: str, value: Any, lang: str) -> str:
    ja, en = CONTACT_WORDS.get(key, (key, key))
    values = value if isinstance(value, list | tuple) else [value]
    shown = [t(lang, *MODE_WORDS[v]) if v in MODE_WORDS else str(v) for v in values]
    return f"{esc(t(lang, ja, en))}: {esc('、'.join(shown))}"


def _platforms(p: TownPage, lang: str) -> str:
    head = _h2(t(lang, "プラットフォームと構成員", "Platforms and members"))
    if not p.platforms:
        return head + _none(lang)
    rows = [
        f"<tr><td>{esc(r['platform'])}<br><span class='note'>{esc(word(r['level'], lang))}</span>"
        f"</td><td>{esc('、'.join(r['secretariat'])) or '—'}</td>"
        f"<td>{esc('、'.join(r['members'])) or '—'}</td></tr>"
        for r in p.platforms
    ]
    cols = [t(lang, "プラットフォーム", "platform"), t(lang, "事務局", "secretariat")]
    return head + _table([*cols, t(lang, "構成員", "members")], rows)


def _paths(p: TownPage, lang: str) -> str:
    head = _h2(t(lang, "相談から就労支援へのつなぎ", "Referral paths to employment support"))
    if not p.paths:
        return head + _none(lang)
    items = "".join(f"<li>{esc(' → '.join(r['path']))}</li>" for r in p.paths)
    return head + f"<ol class='paths'>{items}</ol>"


def _projects(p: TownPage, lang: str) -> str:
    head = _h2(t(lang, "交付金事業（実施・連携）", "Funded projects (lead or partner)"))
    if not p.projects:
        return head + _none(lang)
    rows = []
    for r in p.projects:
        role = word("RUNS" if r["relation"] == "lead" else "PARTNERS_IN", lang)
        if r.get("role"):
            role += f"（{r['role']}）"
        cost = r.get("cost_thousand_yen")
        rows.append(
            f"<tr><td>{esc(r['project'])}</td><td>{esc(r.get('fiscal_year') or '')}</td>"
            f"<td>{esc(role)}</td><td class='num'>{f'{cost:,}' if cost is not None else '—'}</td>"
            "</tr>"
        )
    cols = [t(lang, "事業", "project"), t(lang, "年度", "FY"), t(lang, "役割", "role")]
    return head + _table([*cols, t(lang, "事業費（千円）", "cost (¥1,000)")], rows)


def _unknown(p: TownPage, lang: str) -> str:
    """What the data does not tell: services with no data or no provider found, missing
    population, providers without a contact."""
    lines = []
    for tier, ja, en in (
        ("unknown", "データがない（出典が漏れなく載せていない）支援", "services with no data"),
        (
            "none",
            "漏れなく載せた出典に提供者がない支援",
            "services a complete source lists none of",
        ),
    ):
        n = sum(1 for r in p.tiers if r["tier"] == tier)
        if n:
            lines.append(t(lang, f"{ja}: {n}件（上のカバーを参照）", f"{n} {en} (see above)"))
    if p.town.get("population") is None:
        lines.append(t(lang, "人口は不明です。", "The population is unknown."))
    no_contact = sum(1 for r in p.providers if not r.get("contacts"))
    if no_contact:
        lines.append(
            t(lang, f"連絡先がデータにない提供者: {no_contact}件", f"No contact: {no_contact}")
        )
    lines.append(
        t(
            lang,
            "ここにないもの＝読み込んだデータにないもの（実際にないとは限りません）。",
            "What is not here is not in the loaded data; it may still exist.",
        )
    )
    items = "".join(f"<li>{esc(x)}</li>" for x in lines)
    return _h2(t(lang, "わからないこと", "What is unknown")) + f"<ul>{items}</ul>"


def _sources(sources: Mapping[str, Mapping[str, Any]], lang: str) -> str:
    items = "".join(
        f"<li>{esc(s.get('short') or s.get('title') or i)}"
        + (f" <span class='note'>（{esc(s['date'])}）</span>" if s.get("date") else "")
        + "</li>"
        for i, s in sources.items()
    )
    return _h2(t(lang, "出典", "Sources")) + f"<ol class='src'>{items}</ol>"


TOWN_CSS = (
    "".join(f".swatch.{k}{{background:{v}}}" for k, v in TIER_COLOURS.items())
    + f".swatch.other{{background:{FALLBACK_COLOUR}}}"
    + """
main.town{max-width:1000px}.town table{width:100%;table-layout:auto}
.town td{overflow-wrap:anywhere}.town .nav{font-size:.85rem;margin:0}
.warn{color:#b00}.town ol.paths{font-size:.9rem}.town th{white-space:nowrap}
.providers td:first-child{width:36%}.providers td:nth-child(2){width:24%}
.town ul.tiers{list-style:none;padding-left:0;margin:.3rem 0}
section.town{display:none}section.town:target{display:block}
body:has(section.town:target) .pi{display:none}.pi .towns a{margin-right:.6rem}
@page{size:A4;margin:12mm}
@media print{body{background:#fff;font-size:10pt}main.town{max-width:none;padding:0}
.town .nav{display:none}.town tr{break-inside:avoid}.town thead{display:table-header-group}
.town h2{break-after:avoid}a{color:inherit;text-decoration:none}}
"""
)
