#!/usr/bin/env python3
"""Generate distribution.jsonl: traffic-like questions for the Orbit Boards
assistant, each with the knowledge-base answer a good reply carries.

Deterministic (fixed seed), so the committed file can be regenerated and
reviewed: python3 gen_distribution.py > distribution.jsonl
"""
import json
import random

KB = {
    "free": "The Free plan costs $0 and supports up to 3 users and 5 boards.",
    "team": "The Team plan costs $12 per user per month, or $10 per user per month when "
            "billed annually, and adds unlimited boards, timelines and guest access.",
    "business": "The Business plan costs $24 per user per month and adds single sign-on, "
                "audit logs, automations and API access.",
    "enterprise": "The Enterprise plan has custom pricing and includes everything in Business "
                  "plus SAML single sign-on, a dedicated account manager, API access with "
                  "higher rate limits and a 99.9% uptime guarantee.",
    "billing_day": "Billing happens on the first day of each month for monthly plans and on "
                   "the purchase anniversary for annual plans.",
    "invoices": "Invoices are emailed to the account owner and can be downloaded from "
                "Settings > Billing.",
    "failed": "If a payment fails, Orbit Boards retries the card three times over 7 days "
              "before pausing the workspace.",
    "prorata": "Adding a user in the middle of a billing period is charged pro rata on the "
               "next invoice.",
    "cancel": "You can cancel a subscription at any time from Settings > Billing > Cancel plan.",
    "monthly_refund": "Monthly plans stay active until the end of the current billing period "
                      "and are not refunded.",
    "annual_refund": "Annual plans cancelled within 30 days of purchase receive a full refund.",
    "retention": "Workspace data is kept for 90 days after cancellation and can be exported "
                 "during that time.",
    "sync": "If boards do not sync, sign out and sign back in, then clear the browser cache.",
    "status": "If the problem continues, check the status page at status.orbitboards.example "
              "for incidents.",
    "password": "Password reset links expire after 24 hours; request a new one from the "
                "sign-in page if yours has expired.",
    "export": "You can export all boards as CSV or JSON from Settings > Export.",
}

INTENTS = {
    "free": ["How much is the Free plan?", "What does the Free plan cost?",
             "How many users can I have on the Free plan?",
             "Is there a free plan and what are its limits?",
             "How many boards do I get for free?"],
    "team": ["What's the price of the Team plan?", "How much is the Team plan per user?",
             "Is the Team plan cheaper if billed annually?",
             "What does the Team plan cost per month?",
             "Does the Team plan include guest access?"],
    "business": ["How much does the Business plan cost?",
                 "What does the Business plan add?", "Does the Business plan have automations?",
                 "Which plan has audit logs?", "Is single sign-on in the Business plan?"],
    "enterprise": ["Does Enterprise have a dedicated account manager?",
                   "What uptime guarantee does Enterprise include?",
                   "Is SAML single sign-on available on Enterprise?",
                   "How is the Enterprise plan priced?",
                   "Does the Enterprise plan have higher API rate limits?"],
    "billing_day": ["When am I billed for a monthly plan?", "What day does billing happen?",
                    "When will my annual plan be billed again?",
                    "On which day of the month do you charge monthly plans?"],
    "invoices": ["Where can I download my invoices?", "Who receives the invoices?",
                 "How do I get a copy of an invoice?", "Are invoices emailed to me?"],
    "failed": ["My card payment failed, what now?", "What happens when a payment fails?",
               "Will my workspace be paused if my card is declined?",
               "How many times do you retry a failed payment?"],
    "prorata": ["If I add a user mid-month, how am I charged?",
                "How is adding a user in the middle of a billing period billed?",
                "Do I pay for a new user right away?"],
    "cancel": ["How do I cancel my subscription?", "Where can I cancel my plan?",
               "Can I cancel at any time?", "Where is the cancel plan button?"],
    "monthly_refund": ["Do I get a refund if I cancel a monthly plan?",
                       "Is a monthly plan refunded when cancelled?",
                       "If I cancel my monthly plan, does it stay active?"],
    "annual_refund": ["Can I get a refund on an annual plan?",
                      "What is the refund window for annual plans?",
                      "Is there a full refund if I cancel my annual plan early?",
                      "How long do I have to get a refund for an annual subscription?"],
    "retention": ["How long do you keep my data after I cancel?",
                  "Is my workspace data deleted right after cancellation?",
                  "Can I still export my data after cancelling?"],
    "sync": ["My boards won't sync, help", "Boards are not syncing, what should I try?",
             "Why do my boards not sync between devices?", "Sync is broken on my boards"],
    "status": ["Where can I check for incidents?", "Is there a status page?",
               "How do I know if Orbit Boards is down?"],
    "password": ["My password reset link has expired", "How long is a password reset link valid?",
                 "The reset link doesn't work anymore, what do I do?",
                 "When do password reset links expire?"],
    "export": ["How do I export my boards?", "Can I export boards as CSV?",
               "Is there a JSON export of my boards?", "Where is the export option?"],
}

PREFIXES = ["", "Hi, ", "Hello! ", "Quick question: ", "Hey team, ", "Good morning. "]
SUFFIXES = ["", " Thanks!", " Thank you.", " Cheers", " Please help."]


def main():
    rng = random.Random(20261126)
    seen = set()
    rows = []
    intents = sorted(INTENTS)
    while len(rows) < 240:
        intent = intents[len(rows) % len(intents)]
        question = rng.choice(INTENTS[intent])
        text = rng.choice(PREFIXES) + question + rng.choice(SUFFIXES)
        if text in seen:
            continue
        seen.add(text)
        rows.append({
            "id": "dist-%03d" % (len(rows) + 1),
            "partition": "distribution",
            "input": {"user_message": text},
            "expected_output": KB[intent],
            "metadata": {"intent": intent, "generator": "gen_distribution.py"},
            "created_at": "2026-11-01T00:00:00Z",
            "tags": [intent],
        })
    for row in rows:
        print(json.dumps(row, ensure_ascii=False, separators=(",", ":")))


if __name__ == "__main__":
    main()
