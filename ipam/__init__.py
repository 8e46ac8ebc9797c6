"""Address management for the e-government extranet: org units, VRFs, prefixes, plans."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
SAMPLE_DIVISIONS = DATA / "heyuan-divisions.csv"
SAMPLE_PLAN = DATA / "heyuan-plan.yaml"
