#!/usr/bin/env python
"""Greets from the system-wide config the image build wrote outside /app."""
import configparser

import six

cfg = configparser.ConfigParser()
cfg.read("/etc/greeter/greeter.ini")
g = cfg["greeter"]
with open("/usr/share/greeter-banner.txt") as f:
    print(f.read().strip())
print(six.ensure_str(f"{g['salutation']}, {g['audience']}! (writes-outside-app)"))
