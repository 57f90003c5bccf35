import sys

import psycopg2
import six
from psycopg2 import extensions

print(f"hello from python-pip: psycopg2 {psycopg2.__version__.split()[0]}, "
      f"libpq {extensions.libpq_version()}, six {six.__version__}, python {sys.version.split()[0]}")
