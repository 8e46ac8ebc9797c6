"""The HTML report: one self-contained file (inline CSS and SVG, no script, no
external style, font or image) with the key figures and the pictures.

The figures are `infra.report.indicators.compute` for the period; the pictures show
the records as they stand when the report is written, each drawn from the function
its domain already uses: `ipam.views.pools` and the pools' blocks (the Hilbert maps),
`ipam.views.usage_by_tier` and `ipam.views.usage` (utilisation),
`infra.cloud.usage.usage` (capacity against allocation), `infra.xc.budget.progress`
(Xinchuang progress) and `infra.drill.report.report` of the latest completed run
(drill pass rates).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infra import files, inputs
from infra.errors import InvalidInput
from infra.report import svg
from infra.report.svg import Series, text
from infra.store import Store, Tx

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "政务外网与政务云工作报告",
        "period": "统计期间：{since} 至 {until}；图表为 {now} 的记录",
        "figures": "主要指标",
        "start": "有记录起",
        "figure": "指标",
        "value": "数值",
        "definition": "口径",
        "pools": "IPv4 地址池分配图（希尔伯特曲线）",
        "utilisation": "地址使用率",
        "cloud_section": "政务云",
        "xc_section": "信创",
        "drill_section": "安全检查演练",
        "pool": "地址池 {prefix}（VRF {vrf}）",
        "no_pools": "尚无 IPv4 地址池。",
        "allocated": "已分配（按县区着色）",
        "assigned": "已划给单位、尚未细分",
        "reserved": "保留",
        "quarantine": "隔离",
        "free": "空闲",
        "cell": "{side}×{side} 格，每格 {size} 个地址，沿希尔伯特曲线排列",
        "by_tier": "各层级地址使用率",
        "by_county": "各县（市、区）地址使用率",
        "v4": "IPv4 使用率",
        "v6": "IPv6 使用率（/64）",
        "cloud": "政务云资源：可调度容量与已分配",
        "schedulable": "可调度",
        "cloud_allocated": "已分配",
        "cores": "vCPU（核）",
        "ram_gb": "内存（GB）",
        "disk_gb": "磁盘（GB）",
        "no_cloud": "尚无云节点。",
        "xc_dept": "信创进度（按部门）",
        "xc_phase": "信创进度（按期次）",
        "phase": "第{phase}期",
        "no_xc": "尚无信创资产。",
        "planned": "计划",
        "delivered": "到货",
        "installed": "安装",
        "accepted": "验收",
        "retired": "退役",
        "drill_dept": "演练检查通过率（按部门）",
        "drill_check": "演练检查通过率（按检查项）",
        "drill_run": "最近一次演练：{name}（{started}）",
        "no_drill": "尚无完成的演练。",
        "rate": "通过率",
        "no_dept": "（无部门）",
        "no_unit": "（未指定单位）",
    },
    "en": {
        "title": "E-government network and cloud: work report",
        "period": "Figures for {since} to {until}; pictures as recorded on {now}",
        "figures": "Key figures",
        "start": "the first record",
        "figure": "Figure",
        "value": "Value",
        "definition": "Definition",
        "pools": "IPv4 pools (Hilbert-curve maps)",
        "utilisation": "Address utilisation",
        "cloud_section": "Government cloud",
        "xc_section": "Xinchuang",
        "drill_section": "Security drills",
        "pool": "Pool {prefix} (VRF {vrf})",
        "no_pools": "No IPv4 pool yet.",
        "allocated": "allocated (coloured by county)",
        "assigned": "assigned to a unit, not yet subdivided",
        "reserved": "reserved",
        "quarantine": "quarantine",
        "free": "free",
        "cell": "{side}×{side} cells of {size} addresses each, along a Hilbert curve",
        "by_tier": "Address utilisation per tier",
        "by_county": "Address utilisation per county",
        "v4": "IPv4 used",
        "v6": "IPv6 used (/64s)",
        "cloud": "Cloud: schedulable capacity against allocation",
        "schedulable": "schedulable",
        "cloud_allocated": "allocated",
        "cores": "vCPU (cores)",
        "ram_gb": "RAM (GB)",
        "disk_gb": "disk (GB)",
        "no_cloud": "No cloud node yet.",
        "xc_dept": "Xinchuang progress per department",
        "xc_phase": "Xinchuang progress per phase",
        "phase": "phase {phase}",
        "no_xc": "No Xinchuang asset yet.",
        "planned": "planned",
        "delivered": "delivered",
        "installed": "installed",
        "accepted": "accepted",
        "retired": "retired",
        "drill_dept": "Drill pass rate per department",
        "drill_check": "Drill pass rate per check",
        "drill_run": "Latest drill: {name} ({started})",
        "no_drill": "No drill has completed yet.",
        "rate": "pass rate",
        "no_dept": "(no department)",
        "no_unit": "(no unit)",
    },
}
"""The page's own words, per language."""

LANGS = tuple(WORDS)

MAP_ORDER = 7
"""Pool maps of 128 × 128 cells: fine enough to see a village's block in a city's
pool, small enough that a page with several pools stays light."""

CSS = """
body { font-family: system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB",
  "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
  sans-serif; margin: 24px auto; max-width: 1100px; color: #1f2937; padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 18px; border-bottom: 1px solid #d1d5db; padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.period, .note { color: #6b7280; font-size: 13px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 5px 8px; text-align: left;
  vertical-align: top; }
td.value { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
ul.lines { font-size: 15px; line-height: 1.7; }
figure { margin: 8px 0 20px; overflow-x: auto; }
svg.chart { max-width: 100%; height: auto; font-family: inherit; }
"""


def _empty(message: str) -> str:
    return f'<p class="note">{text(message)}</p>'


# -- the pictures' data -------------------------------------------------------------


def _owners(tx: Tx) -> dict[int, str]:
    """Each unit's county (its own name above the county tier)."""
    rows = tx.all("SELECT id, parent_id, level, name FROM org_unit")
    units = {int(r["id"]): r for r in rows}
    out: dict[int, str] = {}
    for uid, r in units.items():
        cur = r
        seen = 0
        while cur is not None and cur["level"] not in ("county", "city", "province"):
            parent = cur["parent_id"]
            cur = units.get(int(parent)) if parent is not None else None
            seen += 1
            if seen > 8:  # the tiers bound the depth
                break
        out[uid] = str((cur or r)["name"])
    return out


def _pool_blocks(store: Store, vrf: str, prefix: str) -> tuple[int, int, list[svg.Block]]:
    from ipam import addr, space

    def run(tx: Tx) -> tuple[int, int, list[svg.Block]]:
        vid = space.vrf_id(tx, vrf)
        pool = space.require(tx, vid, addr.parse_block(prefix))
        owners = _owners(tx)
        rows = tx.all(
            "WITH RECURSIVE d(id) AS (SELECT id FROM prefix WHERE parent_id = ?"
            " UNION ALL SELECT p.id FROM prefix p JOIN d ON p.parent_id = d.id)"
            f" {space.SELECT_PREFIX} WHERE id IN (SELECT id FROM d)",
            (pool.id,),
        )
        blocks = []
        for r in rows:
            p = space.Prefix.from_row(r)
            state = "assigned" if p.status == "container" else p.status
            owner = owners.get(p.org_id) if p.org_id is not None else None
            blocks.append(svg.Block(p.block.first, p.block.size, state, owner))
        return pool.block.first, pool.block.size, blocks

    return store.read(run)


def _pool_maps(store: Store, w: dict[str, str]) -> str:
    from ipam import space, views

    maps = []
    for v in space.list_vrfs(store):
        for pool in views.pools(store, v["name"]):
            if ":" not in pool["prefix"]:
                title = w["pool"].format(prefix=pool["prefix"], vrf=v["name"])
                maps.append((title, *_pool_blocks(store, v["name"], pool["prefix"])))
    # one colour per county on every map
    everyone = sorted({b.owner for *_, blocks in maps for b in blocks if b.owner is not None})
    palette = {o: i for i, o in enumerate(everyone)}
    parts = []
    for title, start, size, blocks in maps:
        owners = sorted({b.owner for b in blocks if b.owner is not None})
        chart = svg.hilbert_map(
            title, start, size, blocks, owners, w, max_order=MAP_ORDER, palette=palette
        )
        parts.append(f"<h3>{text(title)}</h3><figure>{chart}</figure>")
    return "".join(parts) or _empty(w["no_pools"])


def _utilisation(store: Store, w: dict[str, str]) -> str:
    from infra.org.units import LEVELS
    from ipam import views

    tiers = views.usage_by_tier(store)
    rows = [t for t in tiers if t["tier"] in LEVELS]
    tier_label = [
        str(t["tier"]) + (f" ({t['province']})" if t.get("province") else "") for t in rows
    ]
    by_tier = svg.bars(
        w["by_tier"],
        tier_label,
        [
            Series(w["v4"], [t["v4_percent"] for t in rows]),
            Series(w["v6"], [t["v6_percent"] for t in rows]),
        ],
        unit="%",
        maximum=100,
    )
    counties = views.usage(store, level="county")
    by_county = svg.bars(
        w["by_county"],
        [c["name"] for c in counties],
        [
            Series(w["v4"], [c["v4_percent"] for c in counties]),
            Series(w["v6"], [c["v6_percent"] for c in counties]),
        ],
        unit="%",
        maximum=100,
    )
    return (
        f"<h3>{text(w['by_tier'])}</h3><figure>{by_tier}</figure>"
        f"<h3>{text(w['by_county'])}</h3><figure>{by_county}</figure>"
    )


def _cloud(store: Store, w: dict[str, str]) -> str:
    from infra.cloud import usage
    from infra.cloud.checks import RESOURCES

    total = usage.usage(store, "cloud")[0]
    if not total["nodes"]:
        return _empty(w["no_cloud"])
    out = []
    for r in RESOURCES:
        chart = svg.bars(
            w[r],
            [w[r]],
            [
                Series(w["schedulable"], [total[f"{r}_schedulable"]]),
                Series(w["cloud_allocated"], [total[f"{r}_allocated"]]),
            ],
        )
        out.append(f"<figure>{chart}</figure>")
    return f"<h3>{text(w['cloud'])}</h3>" + "".join(out)


def _xinchuang(store: Store, w: dict[str, str]) -> str:
    from infra.xc import budget
    from infra.xc.values import ASSET_STATUSES

    out = []
    for by, title in (("dept", "xc_dept"), ("phase", "xc_phase")):
        rows = budget.progress(store, by)
        if not rows:
            return _empty(w["no_xc"])
        if by == "phase":
            names = [w["phase"].format(phase=r["phase"]) for r in rows]
        else:
            names = [str(r["dept"]) for r in rows]
        chart = svg.bars(
            w[title],
            names,
            [Series(w[s], [r[s] for r in rows]) for s in ASSET_STATUSES],
            stacked=True,
        )
        out.append(f"<h3>{text(w[title])}</h3><figure>{chart}</figure>")
    return "".join(out)


def _drill(store: Store, w: dict[str, str]) -> str:
    from infra.drill import report
    from infra.drill.runs_model import UnknownDrill

    try:
        rep = report.report(store)
    except UnknownDrill:
        return _empty(w["no_drill"])
    run = rep["run"]
    head = w["drill_run"].format(name=run.get("name"), started=run.get("started_at"))
    depts = rep["departments"]
    checks = rep["checks"]
    by_dept = svg.bars(
        w["drill_dept"],
        [d["department"] or w["no_dept"] for d in depts],
        [Series(w["rate"], [d["rate"] for d in depts])],
        unit="%",
        maximum=100,
    )
    by_check = svg.bars(
        w["drill_check"],
        [str(c["check"]) for c in checks],
        [Series(w["rate"], [c["rate"] for c in checks])],
        unit="%",
        maximum=100,
    )
    return (
        f'<p class="note">{text(head)}</p>'
        f"<h3>{text(w['drill_dept'])}</h3><figure>{by_dept}</figure>"
        f"<h3>{text(w['drill_check'])}</h3><figure>{by_check}</figure>"
    )


def _figures(ind: dict[str, Any], w: dict[str, str]) -> str:
    said = ind.get("sentences") or [f["line"] for f in ind["figures"] if f.get("line")]
    lines = "".join(f"<li>{text(line)}</li>" for line in said)
    rows = "".join(
        "<tr>"
        f"<td>{text(f['key'])}</td>"
        f'<td class="value">{text("—" if f["value"] is None else f["value"])}'
        f" {text(f.get('unit') or '')}</td>"
        f"<td>{text(f.get('definition') or '')}</td>"
        "</tr>"
        for f in ind["figures"]
    )
    return (
        f'<ul class="lines">{lines}</ul>'
        f"<table><thead><tr><th>{text(w['figure'])}</th><th>{text(w['value'])}</th>"
        f"<th>{text(w['definition'])}</th></tr></thead><tbody>{rows}</tbody></table>"
    )


# -- the page ----------------------------------------------------------------------


def render(
    store: Store, since: str | None = None, until: str | None = None, lang: str = "zh"
) -> str:
    """The report as one HTML page (see the module's docstring)."""
    from infra.report import indicators

    if lang not in WORDS:
        raise InvalidInput(f"unknown language {str(lang)[:40]!r}: one of {', '.join(LANGS)}")
    w = WORDS[lang]
    ind = indicators.compute(store, since, until, lang)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    period = w["period"].format(
        since=ind.get("since") or w["start"], until=ind.get("until") or "—", now=now
    )
    sections = [
        ("figures", _figures(ind, w)),
        ("pools", _pool_maps(store, w)),
        ("utilisation", _utilisation(store, w)),
        ("cloud_section", _cloud(store, w)),
        ("xc_section", _xinchuang(store, w)),
        ("drill_section", _drill(store, w)),
    ]
    body = "".join(
        f'<section id="{key}"><h2>{text(w[key])}</h2>{html}</section>' for key, html in sections
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # nothing may be fetched: no script, no remote style, font or image
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        " style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{text(w['title'])}</title><style>{CSS}</style></head><body>"
        f'<h1>{text(w["title"])}</h1><p class="period">{text(period)}</p>'
        f"{body}</body></html>\n"
    )


def write(
    store: Store,
    path: str | os.PathLike[str],
    since: str | None = None,
    until: str | None = None,
    lang: str = "zh",
) -> Path:
    """Write the report to `path` atomically (a whole file or none); return its path."""
    target = Path(path)
    folder = target.parent
    if not inputs.is_directory(folder):
        raise InvalidInput(f"no directory {str(folder)[:80]!r} to write the report into")
    if inputs.is_directory(target):
        raise InvalidInput(f"{str(target)[:80]!r} is a directory, not a file for the report")
    page = render(store, since, until, lang)
    with files.written(target) as fh:
        fh.write(page)
    return target
