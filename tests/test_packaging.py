"""An installed wheel, not only this checkout, carries the data files govops needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_playbooks_inventory_and_sample_data(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("govops-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "govops.py",
        "playbooks/ping.yml",
        "inventory/group_vars/all.yml",
        "ipam/data/heyuan-divisions.csv",
        "ipam/data/heyuan-plan.yaml",
        "infra/store.py",
    ):
        assert needed in names, f"{needed} missing from {wheel.name}"
    # every module of every package and subpackage, and each domain's data files
    for top in ("infra", "ipam", "inventory", "playbooks"):
        for source in (ROOT / top).rglob("*.py"):
            if "__pycache__" not in source.parts:
                module = source.relative_to(ROOT).as_posix()
                assert module in names, f"{module} missing from {wheel.name}"
    assert "infra/xc/data/catalogue.yaml" in names
    for playbook in ("provision.yml", "drill/checks.yml", "drill/block.yml"):
        assert f"playbooks/{playbook}" in names, f"playbooks/{playbook} missing"
    assert "infra/drill/data/checks.yaml" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "govops = govops:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_bundled_paths_resolve() -> None:
    import inventory
    import playbooks

    assert playbooks.path("ping.yml").read_text(encoding="utf-8").startswith("#")
    assert (inventory.DIR / "group_vars" / "all.yml").is_file()


def test_the_inventory_script_is_made_executable_where_a_wheel_dropped_its_mode(
    tmp_path: Path,
) -> None:
    # A wheel keeps no file modes; Ansible runs an inventory script only if executable.
    import os
    import shutil

    import inventory

    copy = tmp_path / "govops_inventory.py"
    shutil.copy(inventory.SCRIPT, copy)
    copy.chmod(0o644)
    assert inventory.executable_script(copy) == copy
    assert os.access(copy, os.X_OK) and copy.stat().st_mode & 0o777 == 0o755
