"""Storage, audit, and the shared plumbing of govops (no CLI code here)."""
