#!/usr/bin/env python3
"""Write N prediction/reference pairs as JSONL, the same every run.

The pairs look like a support assistant's evaluation set: short reference
answers, model predictions from a few words to a few sentences that restate,
pad, miss or garble the answer, with the punctuation, articles, case changes
and non-ASCII text (accents, curly quotes, dashes, CJK) real outputs have.
usage: gen_pairs.py N OUT.jsonl
"""
import json
import random
import sys

ANSWERS = [
    "30 days", "3-5 business days", "the Pro plan", "Settings > Billing > Invoices",
    "an e-mail to support@example.com", "two-factor authentication", "the Admin role",
    "up to 10 users", "CSV and JSON", "€49 per month", "Café Résumé export", "US-East and EU-West",
    "the “Reset password” link", "24/7 chat support", "東京 data centre", "version 2.4.1",
    "Naïve Bayes spam filter", "a full refund", "Zürich office", "the annual plan — 20% off",
]
FILLER = (
    "you can your account will be is are the a an to of in on for with from by within after "
    "before please note that our we it this typically usually generally only also then just "
    "request process processed refund refunds billing invoice plan team members users admin "
    "settings page open click select go navigate choose enable disable support contact email "
    "days business hours month year price cost free trial upgrade downgrade cancel policy "
    "payment card available Available PLEASE Note The A An It's don't can't you'll we're"
).split()
OPENERS = ["", "Sure! ", "Great question. ", "Hi there, ", "According to our policy, ",
           "Yes — ", "Unfortunately, ", "Thanks for reaching out! "]
CLOSERS = ["", ".", "!", " Let me know if you need anything else.", " Hope this helps!",
           " — happy to help.", " 😊", "…"]


def noisy(rng, text):
    r = rng.random()
    if r < 0.15:
        return text.upper()
    if r < 0.30:
        return text.lower()
    if r < 0.40:
        return text.replace(" ", "  ")
    if r < 0.50:
        return "“" + text + "”"
    return text


def prediction(rng, answer):
    kind = rng.random()
    if kind < 0.15:
        return noisy(rng, answer)                      # the answer itself
    if kind < 0.25:
        return " ".join(rng.choice(FILLER) for _ in range(rng.randint(1, 8)))  # wrong
    before = " ".join(rng.choice(FILLER) for _ in range(rng.randint(0, 25)))
    after = " ".join(rng.choice(FILLER) for _ in range(rng.randint(0, 25)))
    core = noisy(rng, answer if kind < 0.85 else rng.choice(ANSWERS))
    text = rng.choice(OPENERS) + before + " " + core + " " + after
    return text.strip() + rng.choice(CLOSERS)


def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20240517)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            answer = rng.choice(ANSWERS)
            reference = noisy(rng, answer) if rng.random() < 0.3 else answer
            rec = {"id": "q%06d" % i, "prediction": prediction(rng, answer),
                   "reference": reference}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
