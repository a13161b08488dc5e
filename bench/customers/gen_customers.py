#!/usr/bin/env python3
"""Deterministic customers export for bench/customers/run.sh: id, plan, country, tenure, acquisition channel, persona, signup date.

Usage: gen_customers.py ROWS FILE [--update]
--update writes the same customers with every row changed (tenure one month longer, every tenth customer on another
plan), so a re-import of it updates every row.
"""
import random
import sys
from datetime import date, timedelta

rows, path = int(sys.argv[1]), sys.argv[2]
update = "--update" in sys.argv[3:]
rng = random.Random(20261127)
plans = ["free", "basic", "pro", "business", "enterprise"]
plan_weights = [40, 25, 20, 10, 5]
countries = ["PL", "RO", "IT", "DE", "FR", "ES", "CZ", "HU", "NL", "AT", "SK", "PT"]
country_weights = [22, 14, 14, 12, 8, 8, 6, 5, 4, 3, 2, 2]
channels = ["Paid search", "Organic search", "Referral", "Social", "Email", "Marketplace", "Affiliate"]
personas = ["Bargain hunter", "Loyal shopper", "First-time buyer", "Business buyer", "Gift giver"]
today = date(2026, 11, 1)

with open(path, "w", encoding="utf-8", newline="") as out:
    out.write("customer_id,plan,country,tenure_months,acquisition_channel,persona,signup_date\n")
    for i in range(rows):
        tenure = rng.randint(0, 96)
        plan = rng.choices(plans, plan_weights)[0]
        country = rng.choices(countries, country_weights)[0]
        channel = rng.choice(channels)
        persona = rng.choice(personas)
        signup = today - timedelta(days=tenure * 30 + rng.randint(0, 29))
        if update:
            tenure += 1
            if i % 10 == 0:
                plan = plans[(plans.index(plan) + 1) % len(plans)]
        out.write(f"C-{100000 + i},{plan},{country},{tenure},{channel},{persona},{signup.isoformat()}\n")
