"""Entry point of `python -m ledger`."""

import gc

# A one-shot command: the cyclic collector would only rescan the objects that importing pandas and reading a big
# sheet create (about a tenth of the run at 100k rows); reference counting still frees them.
gc.disable()

from ledger.cli import main  # noqa: E402

main()
