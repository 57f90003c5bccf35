import argparse
import os

p = argparse.ArgumentParser()
p.add_argument("--pidfile", required=True)
args = p.parse_args()

with open(args.pidfile, "w") as fh:
    fh.write(str(os.getpid()))
with open("/var/spool/collector/batch-0001", "w") as fh:
    fh.write("metrics\n")
print(f"collector started, pid file {args.pidfile}")
