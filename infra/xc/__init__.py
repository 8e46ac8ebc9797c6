"""The Xinchuang (信创) ledger: terminals and servers, application systems, two
budget phases, the catalogue of domestic stacks, and telling a machine's CPU and
OS family from files collected from it.

Modules: `schema` (tables), `values` (checked input: families, money, days),
`catalogue`, `classify` (pure), `assets`, `apps`, `budget`, `stats` (the report's
figures), `probes` (the probe results table: `record_probe`, `latest_probes`).
The SSH probe that fills that table is `probe`.
"""
