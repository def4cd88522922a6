#!/usr/bin/env python3
"""Turns XED (github.com/Helsinki-NLP/XED, CC BY 4.0: emotion-annotated film subtitles) into
frustration-evaluation JSONL on stdout, for the eight languages Baton has word tables for.

A line labelled anger (1) becomes a "frustration" case; a line labelled only anticipation, joy,
trust or neutral (2, 5, 8, 0) becomes "none"; lines with other emotions (disgust, fear, sadness,
surprise) are left out as neither. Each line is one message without context. The lines are
split in two halves by the SHA-256 of their id, like eval/: `dev` for tuning, `test` for
reporting.

Usage: xed_to_jsonl.py XED_CHECKOUT dev|test > xed-test.jsonl
"""
import hashlib, json, os, sys

# Baton's language code -> the XED file (English is annotated, the rest are projections;
# "br" is Brazilian Portuguese, "cn" simplified Chinese).
FILES = {
    "en": ["AnnotatedData/en-annotated.tsv"],
    "es": ["Projections/es-projections.tsv"],
    "fr": ["Projections/fr-projections.tsv"],
    "de": ["Projections/de-projections.tsv"],
    "pt": ["Projections/pt-projections.tsv", "Projections/br-projections.tsv"],
    "it": ["Projections/it-projections.tsv"],
    "nl": ["Projections/nl-projections.tsv"],
    "zh": ["Projections/cn-projections.tsv"],
}
ANGER, CALM = 1, {0, 2, 5, 8}


def cases(root, part):
    for lang, paths in FILES.items():
        for path in paths:
            name = os.path.basename(path).split("-")[0]
            with open(os.path.join(root, path), encoding="utf-8") as lines:
                for n, line in enumerate(lines):
                    text, _, labels = line.rstrip("\n").rpartition("\t")
                    try:
                        labels = {int(x) for x in labels.replace(" ", "").split(",") if x}
                    except ValueError:
                        continue
                    if sum(c.isalpha() for c in text) < 3:
                        continue
                    label = "frustration" if ANGER in labels else "none" if labels <= CALM else None
                    if not label:
                        continue
                    case_id = f"xed-{name}-{n}"
                    half = "dev" if hashlib.sha256(case_id.encode()).digest()[0] < 128 else "test"
                    if half == part:
                        yield {"id": case_id, "lang": lang, "source": "xed", "label": label,
                               "messages": [{"author": "contact", "text": text.strip()}]}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ("dev", "test"):
        sys.exit(__doc__)
    for case in cases(sys.argv[1], sys.argv[2]):
        print(json.dumps(case, ensure_ascii=False))
