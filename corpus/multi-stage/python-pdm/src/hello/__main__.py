import sys

import humanize

print(f"hello from python-pdm: {humanize.naturalsize(1_000_000)} on python {sys.version.split()[0]}")
