"""How pre-seams-*.sql were made: a small database built by the code of commit
f2a3bc4 (schema version 3, before the org spine moved to infra/org), then dumped.

    git worktree add /tmp/old f2a3bc4
    PYTHONPATH=/tmp/old python tests/data/make_pre_seams.py /tmp/old.db
    sqlite3 /tmp/old.db .dump > tests/data/pre-seams-sqlite.sql
    # PostgreSQL: the same into schema govops_pre_seams, then
    # pg_dump -n govops_pre_seams --no-owner --no-privileges --column-inserts,
    # without psql meta-commands, comments and the CREATE SCHEMA line.

tests/test_upgrade.py loads each dump and upgrades it with today's code.
"""

import csv
import sys
from pathlib import Path

from infra.store import Store
from ipam import addresses, org_import, plan, space

url = sys.argv[1]
rows = list(
    csv.DictReader(
        open(Path(__file__).parents[2] / "ipam/data/heyuan-divisions.csv", encoding="utf-8-sig")
    )
)
keep = []
city = rows[0]
keep.append(city)
county = [r for r in rows if r["code"] == "441602000000"][0]
keep.append(county)
towns = [r for r in rows if r["parent_code"] == county["code"]][:2]
keep += towns
for t in towns:
    keep += [r for r in rows if r["parent_code"] == t["code"]][:3]
p = Path("/tmp/fx/small.csv")
with p.open("w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(city))
    w.writeheader()
    w.writerows(keep)
s = Store(url)
org_import.import_file(s, p)
spec = plan.parse_spec(
    {
        "vrf": "egov",
        "root": "441600000000",
        "headroom": 0.25,
        "ipv4": {
            "pool": "10.64.0.0/16",
            "needs": {
                "city": {"core": 100},
                "county": {"office": 250},
                "town": {"office": 60},
                "village": {"office": 20},
            },
        },
        "ipv6": {"pool": "2001:db8:1000::/40", "site": 56, "subnet": 64},
    }
)
plan.run(s, spec, apply=True)
space.add_vrf(s, "video", description="视频专网")
space.add(s, "172.16.0.0/16", vrf="video", pool=True)
space.alloc(s, size="/24", from_cidr="172.16.0.0/16", vrf="video", purpose="cameras")
space.settings(s, "quarantine-days", "3")
addresses.next_free(s, "172.16.0.0/24", hostname="cam-01", vrf="video", count=2)
space.release(s, "172.16.0.0/24", vrf="video", recursive=True)
space.alloc(s, size="/26", from_cidr="172.16.0.0/16", vrf="video", description="spare")
r = space.alloc(s, size="/26", from_cidr="172.16.0.0/16", vrf="video", description="nvr")
addresses.next_free(s, r[0]["prefix"], hostname="nvr-01", vrf="video", count=3)
print("built")
