import humanize

print("python-pipenv:", humanize.naturalsize(1_000_000))
