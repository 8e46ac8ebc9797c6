"""`govops xc …`: parse, make one library call, render."""

from typing import Annotated

import typer

from infra import clikit
from infra.clikit import Fmt, FormatOpt

xc_app = typer.Typer(
    help="The Xinchuang (信创) ledger: terminals and servers, application systems, phases and budget, progress, the catalogue of domestic stacks, classification of collected machine files.",
    no_args_is_help=True,
)

_CLASSIFY_COLUMNS = [
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
]


@xc_app.command("classify")
def classify_dirs(
    dirs: Annotated[
        list[str],
        typer.Argument(
            help="Directories of files collected from a machine: uname-m, cpuinfo,"
            " os-release, kylin-release, os-version, lsb-release."
        ),
    ],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Tell the CPU and OS family of machines from files collected from them.

    Example: govops xc classify ./collected/host-01 ./collected/host-02 --format json
    """
    from infra.xc import classify

    rows = classify.classify_dirs(dirs)
    clikit.emit_rows(rows, fmt, _CLASSIFY_COLUMNS if fmt is Fmt.table else None)


_PROBE_COLUMNS = ["serial", "probed_at", "outcome", "reason", "host_key"]


@xc_app.command("probe-results")
def probe_results(
    serials: Annotated[
        list[str] | None, typer.Argument(help="Asset serials (default: every asset probed).")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List each asset's latest probe result: compliant, mismatch or unreachable.

    Example: govops xc probe-results SN-0001 --format json
    """
    from infra.xc import probes

    rows = clikit.store().read(lambda tx: probes.latest_probes(tx, serials or None))
    clikit.emit_rows(rows, fmt, _PROBE_COLUMNS if fmt is Fmt.table else None)


# ============================================================================
# xc probe: the SSH probe's command (infra/xc/probe.py) is defined below this
# line, by the probe's own author; the ledger's commands all stand above it.
# ============================================================================
