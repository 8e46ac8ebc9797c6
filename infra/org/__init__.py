"""The org spine every domain hangs on: units in four tiers (under an optional
province) with their division codes, the importer, and departments (部门)."""
