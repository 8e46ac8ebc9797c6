"""A synthetic province the size of Guangdong's extranet, for bench/province.py.

Fan-outs follow the 2023 NBS division counts of 广东省: 21 cities, 124 counties,
1,757 towns and 26,842 villages; the largest fan-outs are 11 counties in a city,
33 towns directly under a city without counties (东莞-style, and a second such
city with 24, 中山-style), 36 towns in a county and 84 villages in a town. Names
and codes are made up (codes keep the NBS shape: 2 province, 2 city, 2 county,
3 town, 3 village digits); the counts are spread pseudo-randomly with a fixed seed,
so every run builds the same province.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

PROVINCE = "440000000000"
CITIES = 21
COUNTIES = 124
TOWNS = 1_757
VILLAGES = 26_842
MOST_COUNTIES = 11
FLAT_TOWNS = (33, 24)  # the two cities with towns directly under them
MOST_TOWNS = 36
MOST_VILLAGES = 84


def spread(total: int, n: int, largest: int, rng: random.Random) -> list[int]:
    """`n` counts of at least 1 summing to `total`, the largest exactly `largest`."""
    if n == 1:
        return [total]
    weights = [rng.uniform(0.4, 1.6) for _ in range(n - 1)]
    rest = total - largest
    counts = [max(1, min(largest, round(rest * w / sum(weights)))) for w in weights]
    i = 0
    while sum(counts) != rest:  # settle rounding one unit at a time
        step = 1 if sum(counts) < rest else -1
        j = i % len(counts)
        if 1 <= counts[j] + step <= largest:
            counts[j] += step
        i += 1
    out = [largest, *counts]
    rng.shuffle(out)
    return out


def rows(seed: int = 2023) -> list[dict[str, str]]:
    """The division tree as `org import` reads it (code, name, level, parent_code)."""
    rng = random.Random(seed)
    out = [{"code": PROVINCE, "name": "测试省", "level": "province", "parent_code": ""}]
    county_cities = CITIES - len(FLAT_TOWNS)
    per_city = spread(COUNTIES, county_cities, MOST_COUNTIES, rng)
    per_county = spread(TOWNS - sum(FLAT_TOWNS), COUNTIES, MOST_TOWNS, rng)
    per_town = spread(VILLAGES, TOWNS, MOST_VILLAGES, rng)
    towns_left = iter(per_county)
    villages_left = iter(per_town)

    def town(code: str, name: str, parent: str) -> None:
        out.append({"code": code, "name": name, "level": "town", "parent_code": parent})
        for v in range(1, next(villages_left) + 1):
            out.append(
                {
                    "code": f"{code[:9]}{v:03d}",
                    "name": f"{name}{v}村",
                    "level": "village",
                    "parent_code": code,
                }
            )

    for c in range(1, CITIES + 1):
        city = f"44{c:02d}00000000"
        name = f"测{c}市"
        out.append({"code": city, "name": name, "level": "city", "parent_code": PROVINCE})
        flat = c - county_cities - 1  # the last cities have no counties
        if flat >= 0:
            for t in range(1, FLAT_TOWNS[flat] + 1):
                town(f"{city[:6]}{t:03d}000", f"{name}{t}镇", city)
            continue
        for k in range(1, per_city[c - 1] + 1):
            county = f"{city[:4]}{k:02d}000000"
            cname = f"{name}{k}县"
            out.append({"code": county, "name": cname, "level": "county", "parent_code": city})
            for t in range(1, next(towns_left) + 1):
                town(f"{county[:6]}{t:03d}000", f"{cname}{t}镇", county)
    return out


def write_tree(path: Path, seed: int = 2023) -> int:
    """Write the tree as CSV; returns how many units."""
    data = rows(seed)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["code", "name", "level", "parent_code"])
        writer.writeheader()
        writer.writerows(data)
    return len(data)


def plan(
    headroom: Any = 0.2,
    root: str = PROVINCE,
    pool4: str = "10.0.0.0/8",
    province_needs: bool = False,
) -> dict[str, Any]:
    """The province's dual-stack plan: the sample city's needs, one tier up.

    `headroom` is one number or a mapping per tier. The default (0.2, no subnets of
    the province's own) fits 10.0.0.0/8: 201,211 prefixes and 57,488 pairs
    (`province_needs` adds its core and DMZ: 201,215 and 57,490). One number
    compounds at every tier: at 0.25 the plan needs a /7.
    """
    needs = {
        "city": {"core": 500, "dmz": 100},
        "county": {"office": 250, "mgmt": 60},
        "town": {"office": 120, "mgmt": 14},
        "village": {"office": 28, "video": 12},
    }
    if province_needs:
        needs = {"province": {"core": 1000, "dmz": 250}, **needs}
    return {
        "vrf": "egov",
        "root": root,
        "headroom": headroom,
        "ipv4": {"pool": pool4, "needs": needs},
        "ipv6": {"pool": "fd00::/16", "site": 56, "subnet": 64},
    }


if __name__ == "__main__":
    from collections import Counter

    data = rows()
    print(Counter(r["level"] for r in data))
