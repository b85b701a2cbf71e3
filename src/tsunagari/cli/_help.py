"""Help in the user's language: click classes that look up the Japanese help at format time.

Click builds help text from docstrings and `help=` when a module is imported, before the
language is known; these classes swap in the Japanese text below when `--help` is shown
under `--lang ja` (the default; `TSUNAGARI_LANG=en` or `--lang en` for English).
"""

from __future__ import annotations

import re
from typing import Any

import click

from tsunagari.config import Config
from tsunagari.model import COVERAGE_TIERS as TIERS
from tsunagari.tables import VALUES_JA

OPTIONS_JA = {  # option name → help, shared by every command that has the option
    "fmt": "table は人向けの表、csv と json（行オブジェクトの配列）はプログラム向け。",
    "wide": "端末の幅を超えても、すべての列とセルを省略せずに表示する。",
    "top": "表示する行数（0 ですべて）。",
    "prefecture": "都道府県: 名前（大阪府、大阪）またはコード（27）。",
    "service": "支援を一つ（既定はすべて）: 相談、アウトリーチ、居場所、家族支援、ピアサポート、"
    "就労支援、オンライン、研修、普及啓発（英語の ID も可）。",
    "prevalence": "推計に使うひきこもり状態の人の割合（既定 0.02: 内閣府 令和4年度調査、"
    "15〜64歳）。環境変数 TSUNAGARI_PREVALENCE。",
    "help": "このヘルプを表示して終了する。",
    "version": "バージョンを表示して終了する。",
    "out": "書き出すファイル。",
    "fiscal_year": "年度。",
    "round_": "第N次の交付決定。",
    "specialised": "ひきこもり専門の支援（ひきこもり地域支援センター、ひきこもり窓口 …）だけを"
    "数える。つけなければどの支援も数える（例: 自立相談支援の窓口）。",
    "since": "この年（2020）または日付（2020-04-01）より前の事実を除く（事実にはそれぞれ"
    "出典の日付がある）。",
}

COMMANDS_JA: dict[str, dict[str, str]] = {
    "": {
        "": """tsunagari（つながり）: ひきこもり・就職氷河期世代・孤独・孤立の支援
ネットワークをグラフで扱う。

\b
例:
  tsunagari report            # 同梱データからグラフを作り ./report/ に書き出す
  tsunagari gaps --service 就労支援 --top 20""",
        "store": "グラフの保存先: パス（組み込み LadybugDB、既定 ./tsunagari.lbug）または "
        "neo4j:// の URI。環境変数 TSUNAGARI_STORE。",
        "lang": "表示の言語（既定 ja）。環境変数 TSUNAGARI_LANG。",
        "verbose": "処理の段階ごとに1行ずつ記録を表示する。",
    },
    "gaps": {
        "": """支援の空白: 市町村ごと・支援ごとの最も良いカバー（弱い順）。

カバーの段階: 域内（町の中か町だけを対象とする提供者）› 広域 › 県域 › データなし
（読み込んだデータに提供者がなく、そこを漏れなく載せていると述べる出典もない）›
なし（漏れなく載せていると述べる出典があるのに提供者がない）。段階、人口の順に並べ、
ひきこもり状態の人の推計を添える。--by-town は市町村ごとに1行で、支援ごとの段階を
記号で示す（凡例は表の下）。割合は表では %、CSV/JSON では 0〜1 の小数。

\b
例:
  tsunagari gaps --summary
  tsunagari gaps --service 相談 --specialised --top 20
  tsunagari gaps --service 就労支援 --tier データなし --since 2020
  tsunagari gaps --by-town --prefecture 大阪府
  tsunagari gaps --prefecture 高知県 --per-prefecture --format csv > kochi.csv""",
        "tier": "この段階だけ: " + "、".join(VALUES_JA[t] for t in TIERS) + "（英語の ID も可）。",
        "summary": "支援ごとに、何らかの支援とひきこもり専門の支援それぞれについて、各段階の"
        "市町村数と人口。",
        "per_prefecture": "都道府県ごと: 各段階の人口に占める割合。",
        "by_town": "市町村ごとに1行、支援ごとに1列（段階を記号で）。",
    },
    "hubs": {
        "": """誰がネットワークをつないでいるか: ハブ、仲介者、名前のついたコミュニティ。

既定では活動する主体（団体・拠点・プラットフォーム・自治体）の間で、交付金事業は
参加者どうしのつながりに置き換える（共有する事業の数で重みづけ）。媒介中心性（小さな
ネットワークは厳密、大きいものは標準誤差つきの抽出推定）、Burt の制約度と実効規模、
コミュニティか都道府県をまたぐ Gould–Fernandez の仲介の役割。各指標の意味は表の下に。

\b
例:
  tsunagari hubs --top 10
  tsunagari hubs --by constraint --groups prefectures
  tsunagari hubs --prefecture 福岡県 --communities --format json""",
        "among": "actors: 活動する主体（交付金事業は参加者どうしのつながりに）、all: 事業も"
        "ノードとして残す。",
        "by": "この指標で並べる（制約度は低い順）。",
        "groups": "Gould–Fernandez の仲介の役割を数える集まり。",
        "communities": "ハブではなくコミュニティを一覧にする。",
        "samples": "大きなネットワークで媒介中心性を推定するときに抽出する始点の数（既定 256）。",
    },
    "resilience": {
        "": """団体や拠点が閉じたら失われるもの（影響人口の多い順）。

失われるもの: ある支援の提供者がいなくなる市町村（団体が閉じると、その団体が運営する
拠点も閉じる）と、連携ネットワークの中で就労支援・相談のどの提供者にも届かなくなる
団体。切断点（ネットワークが分かれる点）に印をつける。

\b
例:
  tsunagari resilience --top 10
  tsunagari resilience --prefecture 大分県 --format csv""",
    },
    "resources": {
        "": """町の資源: 支援ごとのカバー、提供者、プラットフォーム、つなぎの経路。

プラットフォーム事務局向け: 支援ごとの段階（何らかの支援とひきこもり専門の支援。
分かる出典がなければデータなし）、その町を担う提供者（区なら市の分も）と連絡先・出典、
それぞれの運営者と委託元、プラットフォームと構成員、町の相談窓口から就労支援への
つなぎの連鎖。

\b
例:
  tsunagari resources 阪南市
  tsunagari resources 272329 --section providers --format csv > hannan.csv""",
        "html_file": "町の印刷用ページ（レポートの町のページだけ）をこのファイルに書き出す。",
        "section": "一部分だけ: カバー、提供者、プラットフォーム、つなぎ"
        "（csv/json は指定がなければ提供者）。",
    },
    "partners": {
        "": """市町村・都道府県の連携: 事業、連携先、役割。

実施主体または連携自治体として関わる事業（都道府県なら域内の市町村の分も）とその
参加者・役割（広域事業が先）、続いて直接の連携先。

\b
例:
  tsunagari partners 大分県
  tsunagari partners 阪南市 --format json""",
    },
    "access": {
        "": """支援への近さ: 市町村・支援ごとの 2SFCA スコア（低い順）。

圏内にある提供者の数を人口10万人あたりで表す。各提供者の受け入れ力は、その提供者の
圏内に住む人で分け合う（2段階浮動集水域法）。

\b
例:
  tsunagari access --service 相談 --catchment 20 --top 20
  tsunagari access --prefecture 北海道 --format csv > hokkaido_access.csv""",
        "catchment": "圏域の半径（km、直線距離）。",
    },
    "build": {
        "": """同梱データ（と自分のファイル）からグラフを作り、保存先に入れる。

書き込む前にすべての入力を検査する。新しいグラフは完成してから古いものと入れ替わる。

\b
例:
  tsunagari build
  tsunagari --store town.lbug build --with my_directory/""",
        "extra": "同梱データに重ねて読み込む名簿ファイルかフォルダ（CSV/XLSX）。"
        "繰り返し指定できる。",
        "skip_invalid": "--with のファイルの正しい行だけを読み込み、残りを一覧にする。",
    },
    "stats": {
        "": """ラベルごとのノード数と種類ごとの関係数、出典と構築日時。

\b
例:
  tsunagari stats
  tsunagari stats --format json""",
    },
    "query": {
        "": """Cypher の文を一つ実行する（--write がなければ読み取りのみ）。

値は文に埋め込まず、パラメータ（-p NAME VALUE）で渡す。組み込みストアにない Neo4j の
関数（type(r) など）は代わりの書き方を示す。

\b
例:
  tsunagari query 'MATCH (m:Municipality) WHERE m.name = $n RETURN m.code, m.population' \\
      -p n 阪南市""",
        "params": "クエリのパラメータ（$NAME）。値は文字列、JSON として読めれば JSON。",
        "timeout": "クエリを止めるまでの秒数。",
        "write": "グラフを変更する文を許す。",
    },
    "check": {
        "": """名簿ファイル（CSV/XLSX かそのフォルダ）を検査し、問題をすべて一覧にする。

保存先には何も書き込まない。問題がなければ終了コード 0、あれば 2。

\b
例:
  tsunagari check my_directory/
  tsunagari check organizations.csv links.csv --format csv > problems.csv""",
        "without_bundled": "同梱の名簿の ID・名前と照らさず、ファイルだけを検査する。",
        "fmt": "text: 問題ごとに「ファイル:行: 列: 内容」を1行。csv と json はプログラム向け。",
    },
    "template": {
        "": """記入用の名簿ひな形（説明つき、空）を FOLDER に書き出す。

CSV は BOM つき UTF-8 なので Excel で開いても日本語が崩れない。記入したら
`tsunagari check FOLDER` で確かめる。

\b
例:
  tsunagari template my_directory/
  tsunagari template my_directory/ --excel""",
        "excel": "CSV 4つの代わりに directory.xlsx を一つ書き出す。",
        "force": "既にあるひな形を上書きする。",
    },
    "import-funding": {
        "": """交付団体の決定一覧（PDF から取り出したテキスト）を CSV に読み込む。

別紙1 と 別紙2-①② を読む: 1行1事業、実施主体と事業費（実施主体が交付を受ける場合は ―）、
【広域】の印、広域事業の連携自治体。地名は実施主体の都道府県を文脈に団体コードへ照合する。
読めない行・照合できない行は ファイル:行 で示し、何も書き出さない。書き出したフォルダは
`tsunagari build --with OUT` で読み込む。

\b
例:
  tsunagari import-funding 交付決定_第2次.txt --round 2 --out funding_r2/
  tsunagari build --with funding_r2/ && tsunagari funding-summary""",
        "out": "結果（CSV）を書き出すフォルダ。",
    },
    "funding-summary": {
        "": """交付決定の集計値を、グラフから計算して文書の数値と並べる。

全体・別紙1・別紙2 それぞれについて、団体数（都道府県・指定都市・その他の市区町村）、
事業数、事業費。団体は事業の実施主体か広域事業の連携自治体（別紙2-②）で、いくつの事業・
一覧に出ても1つと数える。全体は一覧の和集合（合計ではない: 297 < 51 + 272）。事業費は
事業行の合計。

\b
例:
  tsunagari funding-summary
  tsunagari funding-summary --format csv > summary.csv
  tsunagari funding-summary --round 2 --published funding_r2/""",
        "published": "比べる文書の数値を持つ import-funding のフォルダ"
        "（既定: 同梱の令和7年度第1次）。",
    },
    "resolve": {
        "": """資料に書かれた市町村名・コードから団体コードと正式名を求める。

いくつもの場所にある名前（府中市、北区）は推測せず、都道府県か市で決まるまで候補を
示す。未解決の名前があれば終了コード 2。--csv では未解決の行を ファイル:行 で示す。

\b
例:
  tsunagari resolve 大阪府阪南市 鎌ヶ谷市 011002 南部町
  tsunagari resolve 南部町 日野町 --prefecture 鳥取県 --format csv
  tsunagari resolve --csv partners.csv --column 自治体 --prefecture-column 県 --out coded.csv""",
        "prefecture": "文脈: 名前が属する都道府県（鳥取県、鳥取、31）。",
        "city": "文脈: 市名のない区名のための政令指定都市（札幌市）。",
        "csv_path": "代わりにこの CSV ファイルの1列を照合する（UTF-8、BOM つき UTF-8、CP932）。",
        "column": "--csv とともに: 名前かコードの列。",
        "prefecture_column": "--csv とともに: 各行の都道府県を示す列。",
        "out": "--csv とともに: code・official_name・how・candidates の列を加えたファイルの"
        "書き出し先（既定: 標準出力）。",
    },
    "network": {
        "": """ネットワーク図を書き出す（1つの HTML ファイル、オフラインで動く）。

ノードは種類で形と色を変え、媒介中心性で大きさを変える。関係は種類ごとに線を変え、
ページの中で種類ごとに切り替えられる。名前や別名で検索でき、マウスを重ねると内容と
出典を表示する。1枚は300ノードまで: 全国は都道府県ごとにまとめて描く。絞るには
--prefecture、--municipality、--around。

\b
例:
  tsunagari network --prefecture 大阪府 --out osaka.html
  tsunagari network --municipality 阪南市
  tsunagari network --around 北九州市ひきこもり地域支援センター --depth 2
  tsunagari network -p 福岡県 --types PARTNERS_WITH,REFERS_TO""",
        "prefecture": "都道府県を一つ: 名前（大阪府）またはコード（27）。",
        "municipality": "市町村を一つ: その提供者と連携先。",
        "around": "一つのノードの周り（ID、名前、別名で指定）。",
        "depth": "--around とともに: 何本先のつながりまで描くか。",
        "types": "この種類の関係だけ（英語の関係 ID をカンマ区切りで。例は上）。"
        "ページの中でも切り替えられる。",
        "out": "書き出す HTML ファイル。",
    },
    "recommend": {
        "": """窓口をあと k か所置くなら、新たに最も多くの人に届く場所（最大被覆立地）。

いまのネットワークはそのまま。厳密解（HiGHS）と貪欲法の答えを並べ、各拠点が新たに
届く人数と市町村、両者の差、方法と仮定を表示する。

\b
例:
  tsunagari recommend --service 相談 --specialised --k 10
  tsunagari recommend -s 就労支援 -p 高知県 --k 3 --catchment 20
  tsunagari recommend -p 福岡県 --close SupportCenter:fukuoka-hikikomori-chiiki-shien-center
  tsunagari recommend --add planned.csv --candidates sites.csv --format csv""",
        "service": "置く支援（相談・就労支援などの日本語でも）。",
        "k": "加える拠点の数。",
        "catchment": "拠点が届く距離（km、役所どうしの直線距離、境界を含む）。",
        "prefecture": "この都道府県の市町村だけを需要と候補にする（既存の拠点はどこでも）。",
        "candidates": "候補地: all（すべての市町村）、no-provider（その支援の提供者がない"
        "市町村）、または municipality 列（名前かコード、prefecture 列は任意）のある"
        " CSV/Excel ファイル。",
        "weight": "市町村の重み: 人口か、推計ひきこもり数（人口 × TSUNAGARI_PREVALENCE、"
        "既定 0.02）。",
        "unknown": "データなしの市町村: uncovered は届いていないと数え、exclude は需要から除く。",
        "covered_at": "この段階以上の市町村を既存の拠点とみなす（域内・広域・県域、英語の ID）。",
        "close": "先に提供者を閉じる（`resilience --format csv` の Label:id、ID、正式名。団体を"
        "閉じるとその団体が運営する拠点も閉じる）。繰り返し指定できる。",
        "add_file": "計画中の拠点（--candidates と同じ形式のファイル）を先に加える。",
        "time_limit": "厳密解を探す秒数。超えたらそれまでの最良解とその上限を表示する。",
    },
    "map": {
        "": """カバーの地図を書き出す: 市町村の境界を段階ごとの色で塗り分ける。

地図タイルを使わずインライン SVG で描く（オフライン）。支援はページの中で切り替え
られる。灰色: データなし、赤: なし（漏れなく載せている出典に提供者がない）。

\b
例:
  tsunagari map --service 就労支援 --out employment.html
  tsunagari map --prefecture 高知県
  tsunagari map --service 相談 --specialised --out specialised.html""",
        "service": "最初に表示する支援。",
        "prefecture": "都道府県を一つ: 名前（高知県）またはコード（39）。",
        "out": "書き出す HTML ファイル。",
        "specialised": "ひきこもり専門の支援だけで色分けする。",
    },
    "report": {
        "": """必要なら同梱データからグラフを作り、レポートのフォルダを書き出す。

index.html（読み込んだデータ、空白と支援のない市町村、ハブ、閉鎖の影響、リンク）、
map.html、ネットワーク図、すべての表の CSV（csv/）。

\b
例:
  tsunagari report                       # ./report/index.html（日本語）
  tsunagari report --out report-en --lang en""",
        "out": "書き出すフォルダ。",
        "lang": "レポートの言語（既定: 全体の --lang、なければ ja）。",
    },
    "export": {
        "": """作ったグラフを Neo4j・HSDS・Kumu（とほかのツール）用に書き出す（サーバー不要）。

すべてのノードと関係を出典と箇所つきで。各形式の読み込み方は docs/neo4j.md と
docs/interop.md。

\b
例:
  tsunagari export --neo4j-import neo4j_import/ && sh neo4j_import/import.sh
  tsunagari export --cypher graph.cypher && cypher-shell -f graph.cypher
  tsunagari export --graphml graph.graphml
  tsunagari export --hsds hsds/ && tsunagari --store copy.lbug build --with hsds/
  tsunagari export --kumu osaka.json --prefecture 大阪府""",
        "admin_dir": "`neo4j-admin database import full` 用の CSV（と import.sh）を"
        "書き出すフォルダ。",
        "script": "cypher-shell 用のスクリプト: 制約、続いてパラメータつき MERGE の束。",
        "graphml": "Gephi、yEd、networkx、Neo4j の APOC 読み込み用の GraphML。",
        "hsds_dir": "Open Referral HSDS 3.0 の表形式データパッケージ（CSV と "
        "datapackage.json）を書き出すフォルダ。",
        "kumu": "ネットワーク図の範囲の Kumu JSON（ブループリント）。分析者の関係者マップ用。",
        "prefecture": "--kumu のみ: 都道府県を一つ（大阪府、27）。",
        "municipality": "--kumu のみ: 市町村を一つ（その町のネットワーク）。",
    },
    "push": {
        "": """組み込みグラフを Neo4j 5 サーバーに読み込む（キーで MERGE: 繰り返しても安全）。

\b
例:
  TSUNAGARI_NEO4J_PASSWORD=secret tsunagari push --neo4j neo4j://localhost:7687
  tsunagari --store neo4j://localhost:7687 gaps --top 10""",
        "uri": "サーバー。例 neo4j://localhost:7687（ユーザー・パスワード・データベースは "
        "TSUNAGARI_NEO4J_USER、_PASSWORD、_DATABASE）。",
        "replace": "先に Neo4j のデータベースを空にする。",
    },
}

_SECTIONS = {"Options": "オプション", "Commands": "コマンド"}
_CLOSING = frozenset("。、）」』，．：:;,.)")
_TOKEN = re.compile(r"[!-~]+| +|.", re.DOTALL)  # an ASCII word, a run of spaces, one character


def wrap_cells(text: str, width: int) -> list[str]:
    """One paragraph as lines of at most `width` terminal cells (a Japanese character takes
    two), breaking between characters or at spaces, never inside an ASCII word."""
    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(text):
        hangs = token in _CLOSING  # 。、） stay at the end of a line (a line never opens with one)
        if line and cell_len(line + token) > width and not hangs:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _join(lines: list[str]) -> str:
    """Lines of one paragraph as one: a space between ASCII words, none between Japanese."""
    out = ""
    for line in (x.strip() for x in lines):
        if out and line and not (_wide(out[-1]) or _wide(line[0])):
            out += " "
        out += line
    return out


def _wide(char: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F")


class CellFormatter(click.HelpFormatter):
    """click's formatter measuring text in terminal cells, so that Japanese lines fit."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        width = max(self.width - self.current_indent, 20)
        blocks = []
        for block in text.split("\n\n"):
            if block.startswith("\b\n"):  # kept as written (examples)
                lines = block[2:].splitlines()
            else:
                lines = wrap_cells(_join(block.splitlines()), width)
            blocks.append("".join(f"{indent}{line}\n" for line in lines))
        self.write("\n".join(blocks))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        from rich.cells import cell_len

        rows = list(rows)
        first = min(max((cell_len(a) for a, _ in rows), default=0), col_max)
        indent = " " * self.current_indent
        room = max(self.width - self.current_indent - first - col_spacing, 20)
        for a, b in rows:
            lines = wrap_cells(b, room) if b else [""]
            if cell_len(a) <= first:
                self.write(f"{indent}{a}{' ' * (first - cell_len(a) + col_spacing)}{lines[0]}\n")
                rest = lines[1:]
            else:
                self.write(f"{indent}{a}\n")
                rest = lines
            for line in rest:
                self.write(f"{indent}{' ' * (first + col_spacing)}{line}\n")


class _Context(click.Context):
    formatter_class = CellFormatter


def env_lang() -> str:
    """TSUNAGARI_LANG when it names a language we have, else ja; read alone, so that a bad
    value elsewhere in the environment is reported by the command, in that language."""
    import os

    value = os.environ.get("TSUNAGARI_LANG", "ja")
    return value if value in ("ja", "en") else "ja"


def lang_of(ctx: click.Context) -> str:
    """The language to show help in: --lang if already read, else TSUNAGARI_LANG, else ja."""
    root = ctx.find_root()
    if isinstance(root.obj, Config):
        return root.obj.lang
    return str(root.meta.get("tsunagari.lang") or env_lang())


def remember_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Callback of the eager --lang option: help shown later in this run uses it."""
    if value:
        ctx.find_root().meta["tsunagari.lang"] = value
    return value


def _ja(command: click.Command, key: str) -> str | None:
    name = "" if command.name == "main" or isinstance(command, click.Group) else command.name
    return COMMANDS_JA.get(name or "", {}).get(key) or (OPTIONS_JA.get(key) if key else None)


class _Localised:
    """Mixed into click's Command and Group: Japanese help text, options and headings."""

    context_class: type[click.Context] = _Context

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        prefix = "使い方: " if lang_of(ctx) == "ja" else None
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=prefix)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = _ja(self, "") if lang_of(ctx) == "ja" else None  # type: ignore[arg-type]
        if text is None:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
            return
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ja = lang_of(ctx) == "ja"
        rows = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None:
                continue
            opts, text = record
            key = "help" if "--help" in param.opts else param.name or ""
            help_ja = _ja(self, key) if ja else None  # type: ignore[arg-type]
            if help_ja is not None:
                extra = text[len(param.help or "") :] if text.startswith(param.help or "") else ""
                text = help_ja + extra.replace("default:", "既定:").replace("required", "必須")
            rows.append((opts, text))
        if rows:
            with formatter.section(_SECTIONS["Options"] if ja else "Options"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        ctx = click.get_current_context(silent=True)
        text = _ja(self, "") if ctx is not None and lang_of(ctx) == "ja" else None  # type: ignore[arg-type]
        if text is None:
            return super().get_short_help_str(limit)  # type: ignore[misc]
        first = text.split("\n", 1)[0]
        return first if len(first) <= limit else first[: limit - 1] + "…"


class Command(_Localised, click.Command):
    """A command whose help follows the language."""


class Group(_Localised, click.Group):
    """The group: its help follows the language; commands list in it the same way."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=formatter.width - 24)))
        if rows:
            title = _SECTIONS["Commands"] if lang_of(ctx) == "ja" else "Commands"
            with formatter.section(title):
                formatter.write_dl(rows)


def localised(e: click.ClickException) -> click.ClickException:
    """`e`, shown in Japanese under --lang ja: click's usage line, hint and error framing
    (and its messages for bad values, unknown options and missing arguments)."""
    ctx = getattr(e, "ctx", None)
    lang = lang_of(ctx) if ctx is not None else env_lang()
    if lang != "ja":
        return e

    def show(file: Any = None) -> None:
        if ctx is not None and isinstance(e, click.UsageError):
            click.echo(ctx.get_usage(), file=file, err=True)
            click.echo(
                f"詳しくは '{ctx.command_path} --help' を見てください。\n", file=file, err=True
            )
        click.echo(f"エラー: {_message_ja(e)}", file=file, err=True)

    e.show = show  # type: ignore[method-assign]
    return e


def _message_ja(e: click.ClickException) -> str:
    hint = ""
    if isinstance(e, click.BadParameter | click.MissingParameter) and e.param is not None:
        hint = e.param.get_error_hint(e.ctx) if e.ctx else str(e.param_hint or "")
    if isinstance(e, click.MissingParameter):
        return f"{hint} がありません"
    if isinstance(e, click.BadParameter):
        return f"{hint} の値が正しくありません: {e.message}"
    if isinstance(e, click.NoSuchOption):
        close = f"（もしかして: {', '.join(sorted(e.possibilities))}）" if e.possibilities else ""
        return f"{e.option_name} というオプションはありません{close}"
    return e.format_message()
