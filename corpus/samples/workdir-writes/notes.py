import os
from pathlib import Path

data = Path("data")
data.mkdir(exist_ok=True)
(data / "notes.txt").write_text("remember the milk\n")
Path("last-start").write_text(str(os.getpid()))
print(f"saved {len((data / 'notes.txt').read_text().splitlines())} note(s) as uid {os.getuid()}")
