"""Classification of collected machine files: every CPU and OS family, and the
look-alikes (tests/data/xc/README.md says where each sample's facts come from)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.errors import InvalidInput
from infra.xc.classify import (
    CPU_FAMILIES,
    OS_FAMILIES,
    Classification,
    NothingToClassify,
    classify,
    read_dir,
)
from tests.conftest import Cli, one_line_error

CORPUS = Path(__file__).parent / "data" / "xc"

# directory: (arch, cpu_family, cpu_vendor, cpu_model, os_family, os_version)
EXPECTED = {
    "kunpeng-kylin": (
        "aarch64",
        "kunpeng",
        "HiSilicon",
        "Kunpeng-920 (TaiShan-v110)",
        "kylin",
        "V10",
    ),
    "phytium-uos": ("aarch64", "phytium", "Phytium", "FTC662", "uos", "20"),
    "hygon-openeuler": (
        "x86_64",
        "hygon",
        "Hygon",
        "Hygon C86 7285 32-core Processor",
        "openeuler",
        "22.03",
    ),
    "zhaoxin-shanghai-deepin": (
        "x86_64",
        "zhaoxin",
        "Zhaoxin",
        "ZHAOXIN KaiXian KX-U6780A@2.7GHz",
        "deepin",
        "20.9",
    ),
    "zhaoxin-centaur-uos-desktop": (
        "x86_64",
        "zhaoxin",
        "Zhaoxin",
        "ZHAOXIN KaiXian KX-6640MA@2.2+GHz",
        "uos",
        "20",
    ),
    "via-centaur-ubuntu": ("x86_64", "other", "VIA", "VIA Eden X4 C4250@1.2+GHz", "other", "22.04"),
    "loongson-loongarch-anolis": (
        "loongarch64",
        "loongson",
        "Loongson",
        "Loongson-3A5000",
        "anolis",
        "8.8",
    ),
    "loongson-mips-neokylin": (
        "mips64",
        "loongson",
        "Loongson",
        "Loongson-3 V0.13  FPU V0.1",
        "kylin",
        "7.0",
    ),
    "mips-other": ("mips64", "other", "Cavium Octeon III", "Cavium Octeon III V0.2", "other", "11"),
    "sunway-kylin": ("sw_64", "sunway", "Sunway", "SW3231", "kylin", "V10"),
    "arm-openeuler": ("aarch64", "other", "ARM", "Neoverse-N1", "openeuler", "22.03"),
    "amd-opencloudos": (
        "x86_64",
        "other",
        "AMD",
        "AMD EPYC 7K62 48-Core Processor",
        "opencloudos",
        "9.0",
    ),
    "intel-centos": (
        "x86_64",
        "other",
        "Intel",
        "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz",
        "other",
        "7",
    ),
    "phytium-kylin-release-only": ("aarch64", "phytium", "Phytium", "FTC663", "kylin", "V10"),
    "hygon-uos-os-version-only": (
        "x86_64",
        "hygon",
        "Hygon",
        "Hygon C86 3250  8-core Processor",
        "uos",
        "20.1060",
    ),
    "kunpeng-generic-os-release-lsb-kylin": (
        "aarch64",
        "kunpeng",
        "HiSilicon",
        "Kunpeng-920 (TaiShan-v110)",
        "kylin",
        "V10",
    ),
    "kunpeng-cpuinfo-only": (
        "aarch64",
        "kunpeng",
        "HiSilicon",
        "Kunpeng-920 (TaiShan-v110)",
        None,
        None,
    ),
}


def test_the_corpus_is_the_expected_one() -> None:
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert on_disk == set(EXPECTED)


def test_every_family_is_in_the_corpus() -> None:
    assert {e[1] for e in EXPECTED.values()} == set(CPU_FAMILIES)
    assert {e[4] for e in EXPECTED.values()} - {None} == set(OS_FAMILIES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_classify_sample(name: str) -> None:
    found = classify(read_dir(str(CORPUS / name)))
    arch, cpu, vendor, model, os_family, os_version = EXPECTED[name]
    got = (
        found.arch,
        found.cpu_family,
        found.cpu_vendor,
        found.cpu_model,
        found.os_family,
        found.os_version,
    )
    assert got == EXPECTED[name], found.basis
    assert found.domestic_cpu == (cpu not in ("other", None))
    assert found.domestic_os == (os_family not in ("other", None))
    assert found.basis  # says why


def test_kylin_release_alone_names_kylin() -> None:
    found = classify({"kylin-release": "Kylin Linux Advanced Server release V10 (Sword)\n"})
    assert (found.os_family, found.os_version) == ("kylin", "V10")
    assert found.cpu_family is None and not found.domestic_cpu


def test_os_release_id_is_case_insensitive_and_quoted_either_way() -> None:
    for text in ('ID="openEuler"\n', "ID=OPENEULER\n", "ID='openeuler'\n"):
        assert classify({"os-release": text}).os_family == "openeuler"


def test_a_domestic_id_wins_over_marker_files() -> None:
    found = classify(
        {"os-release": "ID=openEuler\nVERSION_ID=22.03\n", "kylin-release": "Kylin release V10"}
    )
    assert found.os_family == "openeuler"


def test_a_marker_file_wins_over_a_foreign_id() -> None:
    # a Kylin build whose os-release names its upstream
    found = classify({"os-release": "ID=centos\n", "kylin-release": "Kylin release V10 (Lance)"})
    assert found.os_family == "kylin"


def test_centaurhauls_without_zhaoxin_is_via() -> None:
    cpu = "vendor_id\t: CentaurHauls\nmodel name\t: VIA Nano X2 L4350\n"
    found = classify({"uname-m": "x86_64", "cpuinfo": cpu})
    assert (found.cpu_family, found.cpu_vendor, found.domestic_cpu) == ("other", "VIA", False)
    no_model = classify({"uname-m": "x86_64", "cpuinfo": "vendor_id\t: CentaurHauls\n"})
    assert no_model.cpu_vendor == "VIA"


def test_unknown_arm_part_keeps_the_implementers_family() -> None:
    cpu = "CPU implementer\t: 0x48\nCPU part\t: 0xfff\n"
    found = classify({"uname-m": "aarch64", "cpuinfo": cpu})
    assert (found.cpu_family, found.cpu_vendor, found.cpu_model) == ("kunpeng", "HiSilicon", None)


def test_arm_without_implementer_cannot_be_told() -> None:
    found = classify({"uname-m": "aarch64", "cpuinfo": "processor : 0\n"})
    assert found.cpu_family is None and not found.domestic_cpu


def test_uname_aliases() -> None:
    assert classify({"uname-m": "arm64"}).arch == "aarch64"
    assert classify({"uname-m": "loong64"}).cpu_family == "loongson"
    assert classify({"uname-m": "riscv64"}).cpu_family == "other"


def test_nothing_to_classify() -> None:
    with pytest.raises(NothingToClassify):
        classify({})
    with pytest.raises(NothingToClassify):
        classify({"cpuinfo": "   \n", "unrelated": "x"})


def test_as_dict_is_json() -> None:
    found = classify(read_dir(str(CORPUS / "kunpeng-kylin")))
    assert isinstance(found, Classification)
    assert json.loads(json.dumps(found.as_dict()))["cpu_family"] == "kunpeng"
    assert found.domestic


def test_read_dir_refuses_a_file(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("x")
    with pytest.raises(InvalidInput):
        read_dir(str(f))


# -- the command -----------------------------------------------------------


def test_classify_command_json(sqlite_cli: Cli) -> None:
    names = sorted(EXPECTED)
    rows = sqlite_cli.json("xc", "classify", *(str(CORPUS / n) for n in names))
    assert [Path(r["path"]).name for r in rows] == names
    for r in rows:
        exp = EXPECTED[Path(r["path"]).name]
        assert (r["arch"], r["cpu_family"], r["os_family"]) == (exp[0], exp[1], exp[4])
        assert set(r) >= {
            "path",
            "arch",
            "cpu_family",
            "cpu_vendor",
            "cpu_model",
            "os_family",
            "os_name",
            "os_version",
            "domestic_cpu",
            "domestic_os",
        }


def test_classify_table(sqlite_cli: Cli) -> None:
    result = sqlite_cli.ok("xc", "classify", str(CORPUS / "kunpeng-kylin"))
    assert "kunpeng" in result.stdout and "kylin" in result.stdout


def test_classify_an_empty_directory_is_one_line(sqlite_cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line_error(
        sqlite_cli("xc", "classify", str(CORPUS / "kunpeng-kylin"), str(empty)),
        str(empty),
        "none of the files",
    )
    one_line_error(sqlite_cli("xc", "classify", str(tmp_path / "missing")), "not a directory")


def test_classify_without_a_directory_is_a_usage_error(sqlite_cli: Cli) -> None:
    assert sqlite_cli("xc", "classify").exit_code == 2
