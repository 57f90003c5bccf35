import json

with open("/tmp/quotes.json") as fh:
    for q in json.load(fh):
        print(f"{q['text']} -- {q['by']}")
