#!/usr/bin/env python3
"""Builds the dev / held-out splits of the public intent sets used by `JourneyFeedback.Trainer -- matching`.

Run once by hand from the repository root with the original files (see README.md); the evaluation reads only the
TSV files written here. Split: per intent, texts shuffled with a fixed seed, then dealt alternately to dev and
held-out, so both halves have every intent in proportion. BANKING77: 3,000 dev + 3,000 held-out texts (of its train
split; its own test split is not used). CLINC150: for each of three domains, all 120 texts per intent (train + val)
split half and half.
"""
import csv, json, random, sys

source = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
SEED = 13

def split(rows, per_half=None):
    by_intent = {}
    for intent, text in rows:
        by_intent.setdefault(intent, []).append(" ".join(text.split()))
    rng = random.Random(SEED)
    dev, held = [], []
    for intent in sorted(by_intent):
        texts = sorted(set(by_intent[intent]))
        rng.shuffle(texts)
        for i, t in enumerate(texts):
            (dev if i % 2 == 0 else held).append((intent, t))
    if per_half:
        rng.shuffle(dev); rng.shuffle(held)
        dev, held = dev[:per_half], held[:per_half]
    return sorted(dev), sorted(held)

def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("intent\ttext\n")
        for intent, text in rows:
            f.write(f"{intent}\t{text}\n")

with open(f"{source}/banking77/train.csv", encoding="utf-8", newline="") as f:
    banking = [(r["category"], r["text"]) for r in csv.DictReader(f)]
dev, held = split(banking, per_half=3000)
write("samples/matching/banking77-dev.tsv", dev)
write("samples/matching/banking77-heldout.tsv", held)

domains = json.load(open(f"{source}/clinc150/domains.json"))
clinc = []
for name in ("train.tsv", "val.tsv"):
    with open(f"{source}/clinc150/{name}", encoding="utf-8") as f:
        next(f)
        clinc += [tuple(reversed(line.rstrip("\n").split("\t"))) for line in f if line.strip()]
for domain, short in (("travel", "travel"), ("auto_and_commute", "auto"), ("kitchen_and_dining", "dining")):
    intents = set(domains[domain])
    dev, held = split([r for r in clinc if r[0] in intents])
    write(f"samples/matching/clinc-{short}-dev.tsv", dev)
    write(f"samples/matching/clinc-{short}-heldout.tsv", held)
