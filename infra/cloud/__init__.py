"""The government cloud node (政务云节点): compute nodes, department quotas, business
systems and the life of each VM, from request to decommissioning.

Library modules (no CLI imports; `cli.py` is the `govops cloud` sub-app):

- `checks`  values as users give them (names, resources, ratios, dates), the errors
  the cloud raises, and the cloud lock;
- `nodes`   compute nodes: capacity, schedulable capacity, what is allocated on them;
- `systems` business systems (业务系统) of departments, their subnets in IPAM, the
  department quotas and the cloud settings;
- `vms`     the VM lifecycle (request → approve → provision → stop/start/resize →
  decommission), placement, the quota and capacity checks, the event history;
  `record_in` puts an already-running VM on the books (for an import);
- `held`    what each node, department and system holds, kept by the database's triggers;
  `recount` checks it against the VMs;
- `usage`   allocation per node, department or system;
- `stats`   `figures(tx, since, until)`: the report's figures, from the event history.

Each write runs in one transaction with its audit rows; the ones that change what
is held take `locks.CLOUD` first (see `checks.hold`).
"""
