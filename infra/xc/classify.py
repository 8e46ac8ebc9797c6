"""Tell a machine's CPU and OS family from the files collected from it.

`classify(files)` is a pure function over the texts of those files, keyed by the
names the probe stores them under:

- `uname-m`: the output of `uname -m`;
- `cpuinfo`: `/proc/cpuinfo`;
- `os-release`, `kylin-release`, `os-version`, `lsb-release`: the files of those
  names under `/etc`.

CPU: on ARM the `CPU implementer` decides (util-linux's `lscpu-arm.c` tables: 0x48
HiSilicon, whose Kunpeng 920 cores are TaiShan v110; 0x70 Phytium; 0x41 Arm Ltd,
not domestic); on x86 the `vendor_id` (HygonGenuine: Hygon; "  Shanghai  ": Zhaoxin;
CentaurHauls: Zhaoxin only when the model name says so, VIA otherwise); LoongArch,
and MIPS when the cpuinfo names Loongson, are Loongson; `sw_64` is Sunway.

OS: the `ID=` of os-release (case-insensitive) decides; when os-release is
missing, has no ID, or names a distribution that is not domestic, the marker
files are read: `kylin-release` alone means Kylin, UOS's (and deepin's)
`os-version` names its system, `lsb-release` its `DISTRIB_ID`.
A family that cannot be told at all (no file speaks of it) is None.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from infra.errors import InvalidInput

FILES = ("uname-m", "cpuinfo", "os-release", "kylin-release", "os-version", "lsb-release")
"""The names of the collected files, as the probe stores them."""

CPU_FAMILIES = ("kunpeng", "phytium", "hygon", "zhaoxin", "loongson", "sunway", "other")
OS_FAMILIES = ("kylin", "uos", "deepin", "openeuler", "anolis", "opencloudos", "other")
DOMESTIC_CPU = frozenset(CPU_FAMILIES) - {"other"}
DOMESTIC_OS = frozenset(OS_FAMILIES) - {"other"}

MAX_FILE_CHARS = 4 * 1024 * 1024
"""The longest text read per file (a 1,024-core machine's cpuinfo is about 1.5 MB)."""


class NothingToClassify(InvalidInput):
    """None of the collected files is there (or all are empty)."""


@dataclass(frozen=True)
class Classification:
    """What a machine is, with the lines that said so (`basis`)."""

    arch: str | None
    cpu_family: str | None
    cpu_vendor: str | None
    cpu_model: str | None
    os_family: str | None
    os_name: str | None
    os_version: str | None
    domestic_cpu: bool
    domestic_os: bool
    basis: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["basis"] = list(self.basis)
        return out

    @property
    def domestic(self) -> bool:
        """Both the CPU and the OS are domestic."""
        return self.domestic_cpu and self.domestic_os


# -- util-linux lscpu-arm.c: implementers and parts ------------------------------

_ARM_IMPLEMENTERS: dict[int, tuple[str, str]] = {
    # implementer -> (vendor, family)
    0x41: ("ARM", "other"),
    0x42: ("Broadcom", "other"),
    0x43: ("Cavium", "other"),
    0x46: ("FUJITSU", "other"),
    0x48: ("HiSilicon", "kunpeng"),
    0x4E: ("NVIDIA", "other"),
    0x50: ("APM", "other"),
    0x51: ("Qualcomm", "other"),
    0x53: ("Samsung", "other"),
    0x61: ("Apple", "other"),
    0x70: ("Phytium", "phytium"),
    0xC0: ("Ampere", "other"),
}
_ARM_PARTS: dict[int, dict[int, str]] = {
    0x41: {
        0xD03: "Cortex-A53",
        0xD04: "Cortex-A35",
        0xD05: "Cortex-A55",
        0xD07: "Cortex-A57",
        0xD08: "Cortex-A72",
        0xD09: "Cortex-A73",
        0xD0A: "Cortex-A75",
        0xD0B: "Cortex-A76",
        0xD0C: "Neoverse-N1",
        0xD0D: "Cortex-A77",
        0xD40: "Neoverse-V1",
        0xD49: "Neoverse-N2",
        0xD4F: "Neoverse-V2",
    },
    0x48: {
        0xD01: "Kunpeng-920 (TaiShan-v110)",  # util-linux: TaiShan-v110, the Kunpeng 920 core
        0xD02: "TaiShan-v120",
        0xD40: "Cortex-A76",
        0xD41: "Cortex-A77",
    },
    0x70: {
        0x303: "FTC310",
        0x660: "FTC660",
        0x661: "FTC661",
        0x662: "FTC662",
        0x663: "FTC663",
        0x664: "FTC664",
        0x862: "FTC862",
    },
}

_X86_VENDORS: dict[str, tuple[str, str]] = {
    # vendor_id -> (vendor, family); CentaurHauls is decided by the model name
    "HygonGenuine": ("Hygon", "hygon"),
    "Shanghai": ("Zhaoxin", "zhaoxin"),  # the kernel prints it padded: "  Shanghai  "
    "GenuineIntel": ("Intel", "other"),
    "AuthenticAMD": ("AMD", "other"),
}

_ARCH_ALIASES = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "arm64": "aarch64",
    "loong64": "loongarch64",
    "sw64": "sw_64",
}
_X86 = ("x86_64", "i386", "i486", "i586", "i686")
_ARM = ("aarch64", "aarch64_be", "armv7l", "armv8l", "armv8b")
_MIPS = ("mips64", "mips64el", "mips", "mipsel")


def _text(files: Mapping[str, str], key: str) -> str:
    value = files.get(key)
    if not isinstance(value, str):
        return ""
    return value[:MAX_FILE_CHARS]


def _cpuinfo_fields(text: str) -> dict[str, str]:
    """The first value of each `key : value` line, keys lower-cased and stripped.
    Values keep their inner spacing (Zhaoxin's vendor is padded with spaces)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key = key.strip().lower()
        if key and key not in out:
            out[key] = value.strip()
    return out


def _hex(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value, 16) if value.lower().startswith("0x") else int(value, 0)
    except ValueError:
        return None


def _arch(files: Mapping[str, str], cpu: dict[str, str]) -> tuple[str | None, str | None]:
    """The architecture and where it came from."""
    raw = _text(files, "uname-m").strip().splitlines()
    if raw and raw[0].strip():
        name = raw[0].strip().lower()
        return _ARCH_ALIASES.get(name, name), f"uname -m {raw[0].strip()}"
    # No uname: the cpuinfo's own fields say which kind of machine wrote it.
    if "cpu implementer" in cpu:
        return "aarch64", "cpuinfo has CPU implementer (ARM)"
    if "vendor_id" in cpu:
        return "x86_64", "cpuinfo has vendor_id (x86)"
    named = " ".join(cpu.get(k, "") for k in ("isa", "cpu family", "model name")).lower()
    if "loongarch" in named or "loongson-64bit" in named:
        return "loongarch64", "cpuinfo names LoongArch"
    mips = " ".join(cpu.get(k, "") for k in ("cpu model", "system type", "isa")).lower()
    if "mips" in mips or "loongson" in mips:
        return "mips64", "cpuinfo names a MIPS CPU"
    return None, None


def _cpu(
    files: Mapping[str, str],
) -> tuple[str | None, str | None, str | None, str | None, list[str]]:
    """(arch, family, vendor, model, basis)."""
    text = _text(files, "cpuinfo")
    cpu = _cpuinfo_fields(text)
    arch, why = _arch(files, cpu)
    basis = [why] if why else []
    model = cpu.get("model name") or None
    if arch is None:
        return None, None, None, model, basis

    if arch in _ARM or arch.startswith("arm"):
        impl = _hex(cpu.get("cpu implementer"))
        part = _hex(cpu.get("cpu part"))
        if impl is None:
            basis.append("no CPU implementer in cpuinfo")
            return arch, None, None, model, basis
        vendor, family = _ARM_IMPLEMENTERS.get(impl, (f"implementer {impl:#04x}", "other"))
        part_name = _ARM_PARTS.get(impl, {}).get(part) if part is not None else None
        shown_part = f", part {part:#05x}" if part is not None else ""
        basis.append(f"CPU implementer {impl:#04x} ({vendor}){shown_part}")
        return arch, family, vendor, part_name or model, basis

    if arch in _X86 or arch.startswith("x86"):
        raw_vendor = cpu.get("vendor_id")
        if raw_vendor is None:
            basis.append("no vendor_id in cpuinfo")
            return arch, None, None, model, basis
        vendor_id = raw_vendor.strip()
        if vendor_id == "CentaurHauls":
            if model and "zhaoxin" in model.lower():
                vendor, family = "Zhaoxin", "zhaoxin"
                basis.append(f"vendor_id CentaurHauls, model name {model!r} says Zhaoxin")
            else:
                vendor, family = "VIA", "other"
                basis.append("vendor_id CentaurHauls, model name does not say Zhaoxin (VIA)")
            return arch, family, vendor, model, basis
        vendor, family = _X86_VENDORS.get(vendor_id, (vendor_id or "unknown", "other"))
        basis.append(f"vendor_id {raw_vendor!r}")
        return arch, family, vendor, model, basis

    if arch.startswith("loongarch"):
        model = cpu.get("model name") or cpu.get("cpu model") or model
        basis.append("LoongArch is Loongson's own architecture")
        return arch, "loongson", "Loongson", model, basis

    if arch in _MIPS:
        model = cpu.get("cpu model") or cpu.get("model name") or model
        if "loongson" in text.lower():
            basis.append("MIPS cpuinfo names Loongson")
            return arch, "loongson", "Loongson", model, basis
        basis.append("MIPS cpuinfo does not name Loongson")
        return arch, "other", cpu.get("system type") or None, model, basis

    if arch.startswith("sw_64") or arch == "sw64":
        model = cpu.get("model name") or cpu.get("cpu model") or model
        basis.append("sw_64 is Sunway's architecture")
        return arch, "sunway", "Sunway", model, basis

    basis.append(f"architecture {arch} is none of the domestic ones")
    return arch, "other", cpu.get("vendor_id") or None, model, basis


# -- the OS ----------------------------------------------------------------------

_OS_IDS = {
    "kylin": "kylin",
    "neokylin": "kylin",  # 中标麒麟
    "uos": "uos",
    "uniontech": "uos",
    "deepin": "deepin",
    "openeuler": "openeuler",
    "anolis": "anolis",
    "opencloudos": "opencloudos",
}
_GENERIC_IDS = {"", "linux"}
"""os-release IDs that say nothing about the distribution (systemd's fallback)."""


def parse_env_file(text: str) -> dict[str, str]:
    """`KEY=value` lines (os-release, lsb-release) with shell-style quotes removed."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[key.strip().upper()] = value.replace('\\"', '"').replace("\\\\", "\\")
    return out


def _ini_fields(text: str) -> dict[str, str]:
    """`key=value` lines of an ini file (UOS's os-version), keys as written."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        out.setdefault(key.strip(), value.strip())
    return out


def _family_of(name: str) -> str | None:
    """A domestic family named in free text (a release line, a system name), or None."""
    low = name.lower()
    if "kylin" in low or "麒麟" in name:
        return "kylin"
    if "uniontech" in low or re.search(r"\buos\b", low) or "统信" in name:
        return "uos"
    if "deepin" in low or "深度" in name:
        return "deepin"
    if "openeuler" in low:
        return "openeuler"
    if "anolis" in low or "龙蜥" in name:
        return "anolis"
    if "opencloudos" in low:
        return "opencloudos"
    return None


_RELEASE_VERSION = re.compile(r"release\s+(\S+)", re.IGNORECASE)


def _os(files: Mapping[str, str]) -> tuple[str | None, str | None, str | None, list[str]]:
    """(family, name, version, basis)."""
    basis: list[str] = []
    osr = parse_env_file(_text(files, "os-release"))
    os_id = osr.get("ID", "").strip().lower()
    name = osr.get("PRETTY_NAME") or osr.get("NAME") or None
    version = osr.get("VERSION_ID") or osr.get("VERSION") or None
    family = _OS_IDS.get(os_id)
    if family is not None:
        basis.append(f"os-release ID={osr['ID']}")
        return family, name, version, basis
    if osr:
        basis.append(
            f"os-release ID={osr['ID']} is not domestic"
            if os_id not in _GENERIC_IDS
            else "os-release has no distribution ID"
        )
    else:
        basis.append("no os-release")

    # The marker files: kylin-release, then UOS's os-version, then lsb-release.
    kylin = _text(files, "kylin-release").strip()
    if kylin:
        first = kylin.splitlines()[0].strip()
        found = _RELEASE_VERSION.search(first)
        basis.append(f"kylin-release: {first[:80]}")
        return "kylin", first or name, found.group(1) if found else version, basis
    osv = _ini_fields(_text(files, "os-version"))
    system = osv.get("SystemName") or osv.get("SystemName[en_US]") or ""
    marked = _family_of(system) if system else None
    if marked is not None:
        major, minor = osv.get("MajorVersion"), osv.get("MinorVersion")
        shown = ".".join(v for v in (major, minor) if v) or version
        basis.append(f"os-version SystemName={system[:80]}")
        return marked, system, shown, basis
    lsb = parse_env_file(_text(files, "lsb-release"))
    distrib = lsb.get("DISTRIB_ID", "")
    marked = _OS_IDS.get(distrib.strip().lower()) or (_family_of(distrib) if distrib else None)
    if marked is not None:
        basis.append(f"lsb-release DISTRIB_ID={distrib[:80]}")
        return (
            marked,
            lsb.get("DISTRIB_DESCRIPTION") or distrib,
            lsb.get("DISTRIB_RELEASE") or version,
            basis,
        )

    if os_id not in _GENERIC_IDS:
        return "other", name, version, basis
    if osr or distrib:
        return "other", name or distrib or None, version or lsb.get("DISTRIB_RELEASE"), basis
    return None, None, None, basis


def classify(files: Mapping[str, str]) -> Classification:
    """Classify a machine from its collected files (see the module's docstring).

    Raises `NothingToClassify` when none of `FILES` holds any text.
    """
    if not any(_text(files, key).strip() for key in FILES):
        raise NothingToClassify(
            f"none of the files {', '.join(FILES)} is there to classify the machine by"
        )
    arch, cpu_family, vendor, model, cpu_basis = _cpu(files)
    os_family, os_name, os_version, os_basis = _os(files)
    return Classification(
        arch=arch,
        cpu_family=cpu_family,
        cpu_vendor=vendor,
        cpu_model=model,
        os_family=os_family,
        os_name=os_name,
        os_version=os_version,
        domestic_cpu=cpu_family in DOMESTIC_CPU,
        domestic_os=os_family in DOMESTIC_OS,
        basis=tuple(cpu_basis + os_basis),
    )


def read_dir(path: str) -> dict[str, str]:
    """The collected files found in directory `path` (UTF-8, undecodable bytes
    replaced), keyed by name; each at most `MAX_FILE_CHARS` long."""
    from pathlib import Path

    from infra import inputs

    where = Path(path)
    if not inputs.is_directory(where):
        raise InvalidInput(f"{path} is not a directory")
    found: dict[str, str] = {}
    for name in FILES:
        candidate = where / name
        if candidate.exists():
            data = inputs.read_bytes(candidate, limit=MAX_FILE_CHARS)
            found[name] = data.decode("utf-8", errors="replace")
    return found


def classify_dirs(paths: list[str]) -> list[dict[str, Any]]:
    """Classify each directory of collected files: one row per directory, in order.
    A directory holding none of the files is refused (nothing is classified)."""
    rows = []
    for path in paths:
        files = read_dir(path)
        try:
            found = classify(files)
        except NothingToClassify:
            raise NothingToClassify(f"{path} holds none of the files {', '.join(FILES)}") from None
        rows.append({"path": path, **found.as_dict()})
    return rows
