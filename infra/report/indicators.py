"""The work report's key figures, each computed by the function its domain uses
for its own figures (one definition, one function; nothing is counted twice):

- IPAM (`ipam.views.usage_by_tier`, `ipam.views.village_coverage`): the address
  space as it stands now (the ledger keeps no history of assignments, so these
  do not depend on the period);
- cloud (`infra.cloud.stats.figures`, as `govops cloud stats`);
- Xinchuang (`infra.xc.stats.figures`, as `govops xc stats`);
- drill (`infra.drill.stats.figures`, as `govops drill stats`).

The period is read as `cloud stats` reads it: days YYYY-MM-DD, inclusive, China
Standard Time; without `since` from the first record, without `until` to today.
Each figure carries its definition and the sentence the work report writes for
it, in Chinese (`zh`, phrased as the report phrases it) or English (`en`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from infra.cloud import stats as cloud_stats
from infra.drill import stats as drill_stats
from infra.errors import InvalidInput
from infra.org.units import shown
from infra.store import Store
from infra.xc import stats as xc_stats
from ipam import views

__all__ = ["KEYS", "LANGS", "compute", "sentences"]

LANGS = ("zh", "en")
"""The languages a figure's line and definition are written in."""


class _Figure(NamedTuple):
    unit: tuple[str, str]
    definition: tuple[str, str]
    line: tuple[str, str]
    """Format strings with `{0}` for the value (zh, en)."""


_FIGURES: dict[str, _Figure] = {
    "ipv4_addresses_to_counties": _Figure(
        ("个", "addresses"),
        (
            "分配给县级单位（县、县级市、区）的IPv4地址段所含地址数，按单位的最上层地址段计"
            "（ipam usage --level county 的 v4_assigned 之和）；反映当前台账。",
            "IPv4 addresses in the blocks assigned to county-level units (counties, county-level"
            " cities, districts), each unit's outermost blocks counted once (the sum of"
            " v4_assigned in `ipam usage --level county`); the ledger as it stands now.",
        ),
        (
            "向各县（市、区）分配政务外网IP地址{0}个",
            "Allocated {0} e-government extranet IP addresses to the counties (cities, districts)",
        ),
    ),
    "ipv6_units_with_block": _Figure(
        ("个", "units"),
        (
            "至少分配了一个IPv6地址段的组织单位数（各级合计，ipam usage 中 v6_blocks 不为0的单位）；"
            "反映当前台账。",
            "Org units of every tier holding at least one IPv6 block (units with v6_blocks above"
            " 0 in `ipam usage`); the ledger as it stands now.",
        ),
        ("{0}个单位完成IPv6地址分配", "Assigned IPv6 address blocks to {0} units"),
    ),
    "village_coverage_percent": _Figure(
        ("%", "%"),
        (
            "同时有IPv4和IPv6地址段的村（社区）占全部村（社区）的百分比，保留一位小数"
            "（ipam coverage 各市 both 之和 / villages 之和）；反映当前台账。",
            "Villages holding both an IPv4 and an IPv6 block, as a percentage of all villages,"
            " one decimal (the cities' `both` over their `villages` in `ipam coverage`);"
            " the ledger as it stands now.",
        ),
        ("四级政务外网覆盖率{0}%", "Four-tier e-government extranet coverage {0}%"),
    ),
    "vms_issued": _Figure(
        ("台", "VMs"),
        (
            "期间内发放（开通）的虚拟机台数，含其后已回收的（cloud stats 的 vms_issued）。",
            "VMs provisioned within the period, those since decommissioned included"
            " (`vms_issued` in `cloud stats`).",
        ),
        ("累计发放虚拟机{0}台", "Issued {0} virtual machines in total"),
    ),
    "departments_on_cloud": _Figure(
        ("个", "departments"),
        (
            "截至期末至少有一台虚拟机已发放的部门数（cloud stats 的 departments）。",
            "Departments with at least one VM issued by the end of the period"
            " (`departments` in `cloud stats`).",
        ),
        (
            "{0}个部门完成政务云资源的发放和部署",
            "{0} departments received and deployed e-government cloud resources",
        ),
    ),
    "systems_on_cloud": _Figure(
        ("个", "systems"),
        (
            "截至期末至少有一台虚拟机已发放的业务系统数（cloud stats 的 systems）。",
            "Business systems with at least one VM issued by the end of the period"
            " (`systems` in `cloud stats`).",
        ),
        (
            "{0}个系统完成政务云资源的发放和部署",
            "{0} systems received and deployed e-government cloud resources",
        ),
    ),
    "terminals_installed": _Figure(
        ("台", "terminals"),
        (
            "期末状态为已安装或已验收的信创电脑终端台数（xc stats 的 terminals_installed）。",
            "Xinchuang terminals whose status at the end of the period is installed or accepted"
            " (`terminals_installed` in `xc stats`).",
        ),
        ("完成{0}台电脑终端的安装部署", "Installed {0} desktop terminals"),
    ),
    "servers_installed": _Figure(
        ("台", "servers"),
        (
            "期末状态为已安装或已验收的信创服务器台数（xc stats 的 servers_installed）。",
            "Xinchuang servers whose status at the end of the period is installed or accepted"
            " (`servers_installed` in `xc stats`).",
        ),
        ("完成{0}台服务器的安装部署", "Installed {0} servers"),
    ),
    "apps_deployed": _Figure(
        ("个", "systems"),
        (
            "期末已上线的信创应用系统数（xc stats 的 apps_deployed）。",
            "Xinchuang application systems online at the end of the period"
            " (`apps_deployed` in `xc stats`).",
        ),
        ("完成{0}个应用系统的安装部署", "Deployed {0} application systems"),
    ),
    "xinchuang_budget": _Figure(
        ("元", "yuan"),
        (
            "信创项目各期预算之和，元，两位小数（xc stats 的 budget_total）；与期间无关。",
            "The budgets of the Xinchuang phases summed, in yuan with two decimals"
            " (`budget_total` in `xc stats`); the same for any period.",
        ),
        ("信创项目总预算{0}元", "Xinchuang budget {0} yuan"),
    ),
    "drills_held": _Figure(
        ("次", "drills"),
        (
            "期间内开始并完成的攻防演练检查次数（drill stats 的 drills_held）。",
            "Drill runs started within the period that completed (`drills_held` in `drill stats`).",
        ),
        ("组织攻防演练{0}次", "Held {0} attack-defence drills"),
    ),
    "hosts_inspected": _Figure(
        ("台", "hosts"),
        (
            "期间内演练实际连通检查的主机台数，同一主机多次检查只计一次（drill stats 的 hosts_inspected）。",
            "Distinct hosts the period's drills reached, a host checked twice counted once"
            " (`hosts_inspected` in `drill stats`).",
        ),
        ("检查主机{0}台", "Inspected {0} hosts"),
    ),
    "drill_pass_rate_percent": _Figure(
        ("%", "%"),
        (
            "期间内演练检查项通过数占通过与未通过之和的百分比，保留一位小数；人工判定、出错、"
            "不适用和不可达的不计（drill stats 的 pass_rate，与 drill report 的通过率同一算法）。",
            "100 × pass / (pass + fail) over the results of the period's drills, one decimal;"
            " manual, error, n/a and unreachable results left out (`pass_rate` in"
            " `drill stats`, computed as `drill report` computes a run's rate).",
        ),
        ("检查通过率{0}%", "Checks passed: {0}%"),
    ),
    "findings_closed": _Figure(
        ("个", "findings"),
        (
            "期间内整改关闭的演练发现问题数（drill stats 的 findings_closed）。",
            "Drill findings closed within the period (`findings_closed` in `drill stats`).",
        ),
        ("整改问题{0}个", "Closed {0} findings"),
    ),
}

KEYS = tuple(_FIGURES)
"""Every figure's key, in the order the report lists them."""

_SENTENCES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("ipv4_addresses_to_counties",), "", ""),
    (("ipv6_units_with_block",), "", ""),
    (("village_coverage_percent",), "", ""),
    (
        ("vms_issued", "departments_on_cloud", "systems_on_cloud"),
        "累计发放虚拟机{0}台，{1}个部门{2}个系统完成政务云资源的发放和部署",
        "Issued {0} virtual machines in total; {1} departments and {2} systems received and"
        " deployed e-government cloud resources",
    ),
    (
        ("terminals_installed", "servers_installed", "apps_deployed"),
        "完成{0}台电脑终端、{1}台服务器、{2}个应用系统的安装部署",
        "Installed {0} desktop terminals and {1} servers, and deployed {2} application systems",
    ),
    (("xinchuang_budget",), "", ""),
    (
        ("drills_held", "hosts_inspected", "drill_pass_rate_percent", "findings_closed"),
        "组织攻防演练{0}次，检查主机{1}台，检查通过率{2}%，整改问题{3}个",
        "Held {0} attack-defence drills, inspected {1} hosts with {2}% of checks passed,"
        " and closed {3} findings",
    ),
)
"""The work report's sentences: figures that share one sentence, then its zh and en
form (a single figure's sentence is its own line)."""


def _text(value: object, lang: int) -> str:
    """A value as a line writes it: English groups thousands; nothing judged is '-'."""
    if value is None:
        return "-"
    if isinstance(value, int) and lang == LANGS.index("en"):
        return f"{value:,}"
    return str(value)


def _fill(template: str, values: list[object], lang: int) -> str:
    """`template` with its fields filled; a percentage with no value loses its '%'."""
    for n, v in enumerate(values):
        if v is None:
            template = template.replace(f"{{{n}}}%", f"{{{n}}}")
    return template.format(*(_text(v, lang) for v in values))


def _lang(lang: object) -> int:
    if lang not in LANGS:
        raise InvalidInput(f"unknown language {shown(str(lang))}: one of {', '.join(LANGS)}")
    return LANGS.index(str(lang))


def _values(store: Store, first: date | None, last: date) -> dict[str, Any]:
    def read(tx: Any) -> dict[str, Any]:
        return {
            "cloud": cloud_stats.figures(tx, first, last),
            "xc": xc_stats.figures(tx, first, last),
            "drill": drill_stats.figures(tx, first, last),
        }

    got = store.read(read)
    tiers = views.usage_by_tier(store)
    coverage = views.village_coverage(store)
    cloud, xc, drill = got["cloud"], got["xc"], got["drill"]
    return {
        "ipv4_addresses_to_counties": sum(t["v4_assigned"] for t in tiers if t["tier"] == "county"),
        "ipv6_units_with_block": sum(t["v6_with_block"] for t in tiers),
        "village_coverage_percent": coverage["both_percent"],
        "vms_issued": cloud["vms_issued"],
        "departments_on_cloud": cloud["departments"],
        "systems_on_cloud": cloud["systems"],
        "terminals_installed": xc["terminals_installed"],
        "servers_installed": xc["servers_installed"],
        "apps_deployed": xc["apps_deployed"],
        "xinchuang_budget": xc["budget_total"],
        "drills_held": drill["drills_held"],
        "hosts_inspected": drill["hosts_inspected"],
        "drill_pass_rate_percent": drill["pass_rate"],
        "findings_closed": drill["findings_closed"],
    }


def compute(
    store: Store,
    since: str | date | None = None,
    until: str | date | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Every key figure for the period, in the language `lang` (zh or en).

    Returns {since, until, figures, sentences}: `since` (None: from the first record)
    and `until` as days; `figures` a list, in `KEYS` order, of {key, value, unit,
    definition, line}; `sentences` the work report's sentences, figures that share
    one (VMs, departments and systems; terminals, servers and apps; the drill's four)
    written together.
    """
    i = _lang(lang)
    first, last = cloud_stats.period(since, until)  # a bad date refused before any read
    values = _values(store, first, last)
    figures = []
    for key, f in _FIGURES.items():
        figures.append(
            {
                "key": key,
                "value": values[key],
                "unit": f.unit[i],
                "definition": f.definition[i],
                "line": _fill(f.line[i], [values[key]], i),
            }
        )
    return {
        "since": first.isoformat() if first else None,
        "until": last.isoformat(),
        "figures": figures,
        "sentences": sentences(figures, str(lang)),
    }


def sentences(figures: list[dict[str, Any]], lang: str = "en") -> list[str]:
    """The work report's sentences from `compute`'s figures, shared ones joined."""
    i = _lang(lang)
    by_key = {f["key"]: f for f in figures}
    out = []
    for keys, zh, en in _SENTENCES:
        if not all(k in by_key for k in keys):
            continue
        if len(keys) == 1:
            out.append(by_key[keys[0]]["line"])
        else:
            out.append(_fill((zh, en)[i], [by_key[k]["value"] for k in keys], i))
    return out
