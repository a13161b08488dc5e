#!/usr/bin/env python3
"""Writes customers.csv and support-log-sep-oct.csv: the running-shoe store of samples/maps/ecommerce-journey.json in
September and October 2026, for the README's "did September's fix help our pro customers?".

customers.csv: 120 customers C-2001..C-2120 with a plan (free, pro, team), a country, tenure in months, how they were
acquired, a persona label and a signup date, as a CRM export would give them (headers with spaces and capitals, to
show how keys are normalised).

support-log-sep-oct.csv: tickets over the two months. On 30 September the team shipped a fix for saved cards at checkout,
a feature of the pro plan: in October pro customers stop writing about declined saved cards, while free customers
(who do not have saved cards) keep their checkout complaints at the September rate. Delivery, returns and praise
tickets run at the same rate in both months for everyone. The log has no channel column, so the tickets are placed on
the map by what they say (a channel equal to a touchpoint's would place them there). Seeded: the files are the same
on every run.

Usage: python3 samples/imports/make-segments-sample.py [output folder=next to this script]
"""
import csv
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

COUNTRIES = ["PL", "PL", "PL", "RO", "RO", "IT", "IT", "DE"]
ACQUISITION = ["organic search", "referral", "paid ads", "social", "partner"]
PERSONAS = ["Weekend runner", "Marathon trainer", "Trail explorer"]

CHECKOUT = [
    "My saved card was declined at checkout again, I had to type the card number twice",
    "Checkout rejected my saved card and the payment failed with no explanation",
    "The payment page froze after I chose my saved card, order not placed",
    "Card payment failed at checkout three times, it says the saved card is invalid",
    "I could not pay, the checkout keeps declining the card stored in my account",
    "Payment error at checkout: card declined although the bank says everything is fine",
]
DELIVERY = [
    "My parcel is late and the tracking has not moved for four days",
    "The courier says delivered but I never received the parcel",
    "Delivery took two weeks, much longer than promised",
    "Tracking link is broken and nobody tells me where my order is",
]
RETURNS = [
    "I returned the shoes two weeks ago and the refund has still not arrived",
    "The return label does not work and I cannot send the shoes back",
    "Refund was only partial, the shipping cost was not returned",
]
PRAISE = [
    "Great shoes and very fast delivery, thank you",
    "The size guide was spot on, the trail shoes fit perfectly",
    "Support solved my question in minutes, excellent service",
    "Love the new tempo racer, arrived a day early",
]


def customers(rng):
    rows = []
    for i in range(120):
        plan = "pro" if i % 3 == 0 else ("team" if i % 10 == 1 else "free")
        tenure = rng.randint(1, 48)
        signup = (datetime(2026, 9, 1) - timedelta(days=30 * tenure + rng.randint(0, 27))).strftime("%Y-%m-%d")
        rows.append({"Customer ID": f"C-{2001 + i}", "Plan": plan, "Country": rng.choice(COUNTRIES), "Tenure Months": tenure,
                     "Acquisition Channel": rng.choice(ACQUISITION), "Persona": rng.choice(PERSONAS), "Signup Date": signup})
    return rows


def tickets(rng, people):
    rows = []
    number = 50000
    for month, start in ((9, datetime(2026, 9, 1, tzinfo=timezone.utc)), (10, datetime(2026, 10, 1, tzinfo=timezone.utc))):
        for person in people:
            pro = person["Plan"] == "pro"
            # Checkout complaints: a pro customer's chance drops from 0.9 to 0.1 after the fix; everyone else stays at 0.5.
            checkout = (0.9 if month == 9 else 0.1) if pro else 0.5
            topics = []
            if rng.random() < checkout: topics.append(("Payment failed", CHECKOUT))
            if rng.random() < 0.35: topics.append(("Delivery", DELIVERY))
            if rng.random() < 0.25: topics.append(("Refund", RETURNS))
            if rng.random() < 0.4: topics.append(("Thanks", PRAISE))
            for subject, pool in topics:
                number += 1
                at = start + timedelta(days=rng.randint(0, 29), hours=rng.randint(8, 20), minutes=rng.randint(0, 59))
                rows.append({"ticket_id": f"ZD-{number}", "created_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                             "customer_id": person["Customer ID"], "subject": subject, "message": rng.choice(pool)})
    rows.sort(key=lambda r: r["created_at"])
    return rows


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    rng = random.Random(917)
    people = customers(rng)
    with open(folder / "customers.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(people[0].keys()))
        writer.writeheader()
        writer.writerows(people)
    log = tickets(rng, people)
    with open(folder / "support-log-sep-oct.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(log[0].keys()))
        writer.writeheader()
        writer.writerows(log)
    print(f"{len(people)} customers, {len(log)} tickets")


if __name__ == "__main__":
    main()
