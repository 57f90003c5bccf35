"""Prints the greeting configured in /etc/greeter/greeter.ini, under the banner."""
import configparser

cfg = configparser.ConfigParser()
if not cfg.read("/etc/greeter/greeter.ini"):
    raise SystemExit("missing /etc/greeter/greeter.ini")
with open("/usr/share/greeter/banner.txt") as fh:
    print(fh.read().strip())
g = cfg["greeter"]
print(f"{g['salutation']}, {g['audience']}!")
