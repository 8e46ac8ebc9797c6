"""The city's infrastructure: the platform every domain stands on, at this package's
root (store, migrations, audit, locks, errors, config, tabular files; clikit and
cli.py are the CLI's share of it), and one subpackage per domain (org/: the org
spine and departments). Addresses are the `ipam` package."""
