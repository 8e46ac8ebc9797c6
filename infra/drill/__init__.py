"""The attack-defence drill (攻防演练): the self-inspection checklist, runs and their
per-host results, the red team's findings, and emergency blocks.

The checklist is `catalogue` (over `data/checks.yaml`), whose checks are the tasks
of playbooks/drill/checks.yml; the drill's tables are in `schema`.
"""
