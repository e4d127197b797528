"""`python -m generator` is the same as the `sdkforge` command."""

from generator.cli import entry

entry()
