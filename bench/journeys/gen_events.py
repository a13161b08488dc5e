#!/usr/bin/env python3
"""Deterministic analytics export for the journeys benchmark: N events for C customers of the online running-shoe store
(samples/maps/ecommerce-journey.json, placed by samples/maps/ecommerce-event-rules.json) over six months, GA4-style
(event_timestamp in Unix microseconds, ga_session_id, page_location with ids and query strings).

Each customer gets a share of the events (heavy-tailed: many look once, a few come back often) and spends it in
journeys: landing sessions from social, ads, search, referrals, Trustpilot, the newsletter or direct; a random walk with
a forward bias through category, search, product, reviews, videos, the size guide, chat, cart and checkout (with jumps
back to search, repeats, failed payments and exits on the way); after a purchase, the order e-mail, delivery tracking,
sometimes help and a return, review requests and referrals. Some customers come back more than 30 days later (a new
journey). A few events match no rule (/careers, /stores/..., the app's heartbeat).

--support-log FILE also writes about N/20 tickets (ticket_id, created_at, customer_id, channel, subject, message) for
the same customers, each shortly after a moment that explains it: a declined payment or a delivery cost that made them
leave checkout, a parcel that does not arrive, a return label that fails or a refund that does not come. Every message
is different.

Usage: gen_events.py OUT.csv [--events 1000000] [--customers 100000] [--seed 7] [--support-log tickets.csv]
Rows are written in time order within each day.
"""
import argparse
import csv
import random
import time
from bisect import bisect
from datetime import datetime, timezone

SECOND = 1_000_000
MINUTE, HOUR, DAY = 60 * SECOND, 3600 * SECOND, 86400 * SECOND
PERIOD_START = int(datetime(2026, 5, 1, tzinfo=timezone.utc).timestamp()) * SECOND
PERIOD_DAYS = 184  # May to October
PERIOD_END = PERIOD_START + PERIOD_DAYS * DAY
HOST = "https://shop.example.com"

SKUS = [f"{model}-{n}" for model in ["pacer", "trail-glide", "tempo-racer", "cloudstride", "marathon-max", "roadlite",
                                     "fellrunner-gtx", "sprint-spike", "recovery-slide", "ultra-trek"] for n in (1, 2, 3, 4)]
CATEGORIES = ["road-running", "trail-running", "racing", "womens-running", "mens-running", "sale", "accessories", "kids"]
QUERIES = ["wide+fit+running+shoes", "waterproof+trail+shoes", "carbon+plate", "half+marathon+shoes", "running+socks",
           "pacer+vs+tempo", "cushioned+road+shoe", "size+guide", "gift+card", "zero+drop", "heel+pain+shoes", "vegan"]
COLOURS = ["black", "blue", "coral", "white", "lime"]
HELP_PRE = ["delivery-costs", "payments", "sizing", "promo-codes", "delivery-times"]
# (utm_source, utm_medium, weight); the rules map them to Social media, Paid ads, Search results, Referrals,
# Review sites and Newsletter. No utm: a direct visit.
LANDINGS = [("instagram", "social", 12), ("tiktok", "social", 8), ("facebook", "social", 4), ("google", "cpc", 15),
            ("facebook", "cpc", 5), ("bing", "cpc", 2), ("google", "organic", 18), ("bing", "organic", 3),
            ("duckduckgo", "organic", 2), ("friend_referral", "referral", 6), ("trustpilot", "referral", 5),
            ("newsletter", "email", 5), ("", "", 15)]

# The pre-purchase walk: state -> (next states, weights). "end" closes the session; "purchase" ends the walk.
WALK = {
    "home": {"category": 30, "search": 25, "product": 25, "careers": 2, "stores": 1, "help": 3, "end": 14},
    "category": {"product": 50, "category": 10, "search": 10, "home": 5, "end": 25},
    "search": {"product": 55, "search": 10, "category": 5, "end": 30},
    "product": {"product": 15, "reviews": 12, "video": 7, "size": 6, "search": 10, "category": 5, "cart": 24, "chat": 3,
                "end": 20},
    "reviews": {"product": 45, "search": 15, "end": 40},
    "video": {"product": 50, "cart": 10, "end": 40},
    "size": {"product": 50, "chat": 10, "cart": 15, "end": 25},
    "chat": {"product": 30, "cart": 20, "checkout": 10, "end": 40},
    "cart": {"checkout": 60, "product": 15, "search": 5, "end": 20},
    "checkout": {"delivery": 75, "cart": 8, "help": 5, "chat": 4, "end": 8},
    "delivery": {"payment": 75, "help": 8, "end": 17},
    "payment": {"purchase": 80, "payfail": 12, "chat": 3, "end": 5},
    "payfail": {"payment": 50, "help": 20, "end": 30},
    "help": {"product": 20, "checkout": 15, "chat": 15, "end": 50},
    "careers": {"careers": 20, "home": 20, "end": 60},
    "stores": {"home": 30, "end": 70},
}
WALK_TABLES = {}
for state, moves in WALK.items():
    total, cumulative = 0, []
    for weight in moves.values():
        total += weight
        cumulative.append(total)
    WALK_TABLES[state] = (list(moves), [c / total for c in cumulative])


class Writer:
    """Collects rows by day and writes them sorted by time; counts what was written."""

    def __init__(self):
        self.days = [[] for _ in range(PERIOD_DAYS)]
        self.count = 0

    def add(self, t, line):
        self.days[(t - PERIOD_START) // DAY].append((t, line))
        self.count += 1


class Customer:
    __slots__ = ("id", "device", "plan", "budget", "session", "rng", "out", "incidents", "orders")

    def __init__(self, number, rng, out, incidents, budget):
        self.id = f"C-{number:06d}"
        self.rng, self.out, self.incidents, self.budget = rng, out, incidents, budget
        self.device = rng.choice(("mobile", "mobile", "mobile", "desktop", "desktop", "tablet", "app"))
        self.plan = rng.choice(("guest", "guest", "member", "member", "run-club"))
        self.session = ""
        self.orders = 0

    def emit(self, t, name, path="", source="", medium="", campaign=""):
        """One event; False when the customer's share is spent or the period is over."""
        if self.budget <= 0 or t >= PERIOD_END:
            return False
        self.budget -= 1
        if path:
            url = HOST + path
            if source:
                url += ("&" if "?" in path else "?") + f"utm_source={source}&utm_medium={medium}"
        else:
            url = ""
        self.out.add(t, f"{self.rng.getrandbits(128):032x},{self.id},{name},{url},{t},{self.session if path else ''},"
                        f"{self.device},{source},{medium},{campaign},{self.plan}")
        return True

    def new_session(self, t):
        self.session = str(t // SECOND)  # GA4: the session's start in Unix seconds


def pick(rng, table):
    states, cumulative = table
    return states[bisect(cumulative, rng.random())]


def page(rng, state, sku):
    """The event and path of a walk state."""
    if state == "home":
        return "page_view", "/"
    if state == "category":
        return "page_view", f"/category/{rng.choice(CATEGORIES)}?sort={rng.choice(('new', 'price', 'rating'))}"
    if state == "search":
        return "search", f"/search?q={rng.choice(QUERIES)}&page={rng.randint(1, 3)}"
    if state == "product":
        return "view_item", f"/products/{sku}?colour={rng.choice(COLOURS)}"
    if state == "reviews":
        return "page_view", f"/products/{sku}/reviews?page={rng.randint(1, 4)}"
    if state == "video":
        return "video_play", f"/videos/{sku}-fit-guide"
    if state == "size":
        return "page_view", f"/size-guide?brand={sku.split('-')[0]}"
    if state == "chat":
        return "chat_started", f"/products/{sku}"
    if state == "cart":
        return "add_to_cart", f"/products/{sku}?size={rng.randint(36, 47)}"
    if state == "checkout":
        return "begin_checkout", "/checkout"
    if state == "delivery":
        return "page_view", "/checkout/delivery"
    if state == "payment":
        return "add_payment_info", "/checkout/payment"
    if state == "payfail":
        return "payment_failed", f"/checkout/payment?error={rng.choice(('declined', '3ds_timeout', 'paypal_cancelled'))}"
    if state == "help":
        return "page_view", f"/help/{rng.choice(HELP_PRE)}"
    if state == "careers":
        return "page_view", rng.choice(("/careers", "/careers/warehouse-assistant", "/careers/customer-advisor"))
    return "page_view", f"/stores/{rng.choice(('manchester', 'leeds', 'london-soho', 'bristol'))}"


def shopping_session(c, t):
    """One visit; returns (end time, 'purchase' | 'end' | 'stop')."""
    rng = c.rng
    c.new_session(t)
    if c.device == "app" and rng.random() < 0.4 and not c.emit(t, "app_heartbeat"):
        return t, "stop"
    source, medium, _ = rng.choices(LANDINGS, LANDING_WEIGHTS)[0]
    sku = rng.choice(SKUS)
    state = rng.choice(("product", "product", "product", "category", "home", "search"))
    name, path = page(rng, state, sku)
    if not c.emit(t, "page_view" if name == "view_item" else name, path, source, medium):
        return t, "stop"
    while True:
        previous, state = state, pick(rng, WALK_TABLES[state])
        if state == "end":
            # Why they left checkout, told to support (a failed payment was noted when it happened).
            if previous in LEAVING_CHECKOUT and previous != "payfail" and rng.random() < 0.45:
                c.incidents.append((c.id, t, "checkout"))
            return t, "end"
        t += int(rng.expovariate(1 / 50) * SECOND) + 5 * SECOND
        if state == "purchase":
            c.orders += 1
            return t, "purchase" if c.emit(t, "purchase", f"/checkout/confirmation?order={order_number(c)}") else "stop"
        if state == "product" and rng.random() < 0.3:
            sku = rng.choice(SKUS)
        name, path = page(rng, state, sku)
        if not c.emit(t, name, path):
            return t, "stop"
        if state == "help" and rng.random() < 0.3:
            c.incidents.append((c.id, t, "checkout"))
        elif state == "payfail" and rng.random() < 0.5:
            c.incidents.append((c.id, t, "payment"))


def order_number(c):
    return f"{int(c.id[2:]) * 10 + c.orders}"


def after_purchase(c, t):
    """Order e-mail, tracking, maybe a late parcel, a return, a review request and a referral; returns the last time."""
    rng, order = c.rng, order_number(c)
    t += rng.randint(1, 30) * MINUTE
    c.emit(t, "email_open", campaign="order")
    late = rng.random() < 0.15
    for _ in range(rng.randint(0, 2) + (3 if late else 0)):
        t += rng.randint(6, 30) * HOUR
        c.new_session(t)
        refresh = f"?refresh={rng.randint(1, 9)}" if rng.random() < 0.3 else ""
        c.emit(t, "page_view", f"/orders/{order}/tracking{refresh}")
        if not late and rng.random() < 0.4:  # on time, but something else went wrong with the parcel
            c.incidents.append((c.id, t, "delivery"))
    if late:
        t += rng.randint(2, 40) * MINUTE
        c.emit(t, "page_view", "/help/delivery/late-parcel")
        if rng.random() < 0.5:
            c.emit(t + 2 * MINUTE, "chat_started", "/help/delivery/late-parcel")
        c.incidents.append((c.id, t, "delivery"))
    if rng.random() < 0.22:
        t += rng.randint(1, 6) * DAY + rng.randint(0, 12) * HOUR
        c.new_session(t)
        returns_id = f"R-{order}"
        c.emit(t, "page_view", f"/help/{rng.choice(('returns', 'exchanges', 'sizing'))}")
        t += rng.randint(30, 300) * SECOND
        c.emit(t, "page_view", f"/returns/start?order={order}")
        for attempt in range(1 + (rng.random() < 0.3) * rng.randint(1, 3)):
            t += rng.randint(30, 200) * SECOND
            c.emit(t, "page_view", f"/returns/label/{returns_id}" + (f"?attempt={attempt + 1}" if attempt else ""))
        if rng.random() < 0.5:
            t += rng.randint(5, 15) * DAY
            c.new_session(t)
            c.emit(t, "page_view", f"/returns/status/{returns_id}")
        if rng.random() < 0.9:
            c.incidents.append((c.id, t, "returns"))
    if rng.random() < 0.6:
        t += rng.randint(6, 14) * DAY + rng.randint(0, 12) * HOUR
        c.emit(t, "email_open", campaign="review_request")
        if rng.random() < 0.35:
            t += rng.randint(1, 120) * MINUTE
            c.new_session(t)
            sku = rng.choice(SKUS)
            c.emit(t, "page_view", f"/write-review/{sku}", "review_request", "email")
            t += rng.randint(60, 400) * SECOND
            c.emit(t, "review_submitted", f"/write-review/{sku}/thanks")
            if rng.random() < 0.25:
                c.emit(t + rng.randint(20, 200) * SECOND, "referral_link_shared", "/account/refer")
    return t


def customer_events(c):
    rng = c.rng
    # Journeys start in daytime hours; the first leaves room for a few more within the period.
    t = PERIOD_START + rng.randrange(PERIOD_DAYS - 20) * DAY + rng.choice(HOURS) * HOUR + rng.randrange(3600) * SECOND
    while c.budget > 0 and t < PERIOD_END:
        for _ in range(rng.choice((1, 1, 2, 2, 3, 5))):  # visits until a purchase or giving up
            t, outcome = shopping_session(c, t)
            if outcome == "stop":
                return
            if outcome == "purchase":
                t = after_purchase(c, t)
                break
            t += rng.randint(2, 120) * HOUR
        if rng.random() < 0.3:  # newsletter opens in between
            for _ in range(rng.randint(1, 3)):
                t += rng.randint(3, 9) * DAY
                week = (t - PERIOD_START) // (7 * DAY)
                c.emit(t, "newsletter_open", source="newsletter", medium="email", campaign=f"weekly-{week}")
        # The next journey: often a new one (more than 30 days later), sometimes the same one continued.
        gap_days = rng.randint(35, 100) if rng.random() < 0.5 else rng.randint(3, 25)
        t += gap_days * DAY + rng.randint(-6, 6) * HOUR


LEAVING_CHECKOUT = {"cart", "checkout", "delivery", "payment", "payfail"}
HOURS = [7, 8, 8, 9, 12, 12, 13, 17, 18, 19, 19, 20, 20, 21, 21, 22, 23]
LANDING_WEIGHTS = [w for _, _, w in LANDINGS]


def budgets(rng, events, customers):
    """Events per customer: heavy-tailed, at least 2, summing to `events`."""
    raw = [min(400.0, rng.paretovariate(1.8)) for _ in range(customers)]
    scale = events / sum(raw)
    shares = [max(2, int(r * scale)) for r in raw]
    surplus = sum(shares) - events
    while surplus != 0:
        i = rng.randrange(customers)
        if surplus > 0 and shares[i] > 2:
            shares[i] -= 1
            surplus -= 1
        elif surplus < 0:
            shares[i] += 1
            surplus += 1
    return shares


# --- Tickets: every message different, wording varied a lot. ---
GREETINGS = ["", "Hi, ", "Hello, ", "Hi there. ", "Good morning, ", "Dear support, ", "Hey, ", "To whom it may concern: "]
SIGN_OFFS = ["", " Thanks.", " Thank you.", " Please help.", " Regards.", " Cheers.", " Not happy.", " Sort it out please.",
             " Awaiting your reply.", " Thanks in advance!"]
TOPICS = {
    "payment": ("Card declined|Payment failed|Can't pay|Checkout error|Payment problem", [
        "my card was declined at checkout {n} times although my bank says nothing was blocked",
        "the payment page keeps saying 'payment declined' for order {o}",
        "3D Secure never showed up on my phone and the checkout timed out",
        "PayPal took me back to the basket without finishing the order",
        "I was charged £{a} but the site says the payment failed",
        "tried two different cards, both refused at the last step",
        "the checkout spins forever after I press pay",
        "your site rejected my card yet my banking app shows a pending £{a}",
        "checkout says my billing address does not match, it does",
        "the promo code worked in the basket and then the payment step failed",
    ], ["I gave up and did not order.", "Is it my card or your site?", "I tried on the app and on my laptop, same thing.",
        "I still want the {p}.", "Did the money go somewhere?", "This happened {n} times tonight.",
        "My friend had the same problem last week.", "Can you complete the order over the phone?"]),
    "checkout": ("Delivery cost|Hidden fees|Checkout|Promo code|Basket", [
        "delivery cost £{d} only appeared at the last step of checkout",
        "the product page said free delivery but the checkout added £{d}",
        "the promo code RUN{n}0 is refused at checkout",
        "the delivery options page would not accept my postcode",
        "my basket emptied itself when I went to checkout",
        "there is no next-day option at checkout even though the {p} page promises one",
        "checkout asked me to create an account halfway through, I lost everything I typed",
        "the total jumped from £{a} to £{b} at the payment step",
    ], ["So I left the order.", "I abandoned the basket.", "Why is this not shown earlier?", "Is the offer still valid?",
        "That is misleading.", "I will wait before ordering.", "Other shops show this upfront.", "Please explain the fee."]),
    "delivery": ("Parcel late|Where is my order|Tracking|Delivery|Missing parcel|Courier", [
        "order {o} was due {n} days ago and tracking has not moved",
        "tracking says delivered but there is no parcel at my door",
        "the courier left my parcel outside in the rain",
        "my order {o} is stuck 'in transit' since {wd}",
        "the tracking page shows an error for order {o}",
        "the courier says the address is wrong, it is not",
        "I paid £{d} for next-day delivery and it is now day {n}",
        "the box arrived crushed and the {p} are scuffed",
        "the parcel went to a pickup point I never chose",
        "nobody rang the bell, the card says I was out, I was home all day",
    ], ["I need them for a race on {wd}.", "Please send a replacement.", "Can I get the delivery fee back?",
        "Who do I talk to at the courier?", "This is the second time.", "Please call me back.",
        "I would like a refund if it is lost.", "Tracking has said the same thing for {n} days."]),
    "returns": ("Refund|Returns label|Return|Exchange|Refund not received", [
        "I returned the {p} {n} weeks ago and still no refund",
        "the returns portal shows error 500 when I print the label for {r}",
        "the drop-off shop refused my return {r}",
        "I asked for an exchange to size {s} but got a refund instead",
        "the refund for {r} was £{a} short",
        "the return label e-mail never arrived",
        "my return {r} says 'received' for {n} days but no money yet",
        "you charged me £{d} for a return that should be free",
        "the returns page says my order {o} is outside the window, it is not",
    ], ["Please check.", "When will I get my money?", "Can you e-mail me a label instead?", "This is taking too long.",
        "I have the receipt from the drop-off.", "Please escalate this.", "I will not order again if this continues.",
        "The {p} fit badly, hence the return."]),
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CHANNELS = ["chat", "chat", "email", "email", "email", "phone", "web"]


def ticket_text(rng, topic, customer):
    subjects, cores, details = TOPICS[topic]
    n = int(customer[2:])
    slots = {"n": rng.randint(2, 9), "o": n * 10 + rng.randint(0, 9),
             "a": f"{rng.randint(40, 180)}.{rng.randint(0, 99):02d}", "b": f"{rng.randint(181, 260)}.{rng.randint(0, 99):02d}",
             "d": f"{rng.choice((3, 4, 5, 6))}.{rng.choice((49, 95, 99))}",
             "p": rng.choice(SKUS).replace("-", " "), "r": f"R-{n * 10 + rng.randint(0, 9)}", "s": rng.randint(36, 47),
             "wd": rng.choice(WEEKDAYS)}
    core = rng.choice(cores).format(**slots)
    greeting = rng.choice(GREETINGS)
    core = core[0].upper() + core[1:] if not greeting or greeting.endswith(". ") or greeting.endswith(": ") else core
    extra = " ".join(d.format(**slots) for d in rng.sample(details, rng.randint(1, 2)))
    return rng.choice(subjects.split("|")), f"{greeting}{core}. {extra}{rng.choice(SIGN_OFFS)}"


FOLLOW_UPS = ["Second time I write about this: ", "Still no answer. ", "Chasing my earlier ticket. ", "Again: ",
              "Nobody replied, so once more: ", "Following up. ", "I called yesterday too. "]


def write_support_log(path, rng, incidents, wanted):
    # Many customers write again a day or three later when nothing happens: a follow-up is a moment of its own.
    moments = []
    for customer, t, topic in incidents:
        moments.append((customer, t, topic, ""))
        for _ in range((rng.random() < 0.7) + (rng.random() < 0.35)):
            t += rng.randint(20, 80) * HOUR
            moments.append((customer, t, topic, rng.choice(FOLLOW_UPS)))
    chosen = rng.sample(moments, min(wanted, len(moments)))
    chosen.sort(key=lambda i: i[1])
    seen = set()
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["ticket_id", "created_at", "customer_id", "channel", "subject", "message"])
        for number, (customer, t, topic, follow_up) in enumerate(chosen, start=1):
            subject, message = ticket_text(rng, topic, customer)
            while follow_up + message in seen:
                subject, message = ticket_text(rng, topic, customer)
            message = follow_up + message
            seen.add(message)
            created = t + rng.randint(2, 240) * MINUTE
            stamp = datetime.fromtimestamp(created / SECOND, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            writer.writerow([f"JT-{number:07d}", stamp, customer, rng.choice(CHANNELS), subject, message])
    return len(chosen), len(moments)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--support-log")
    args = parser.parse_args()
    started = time.perf_counter()
    rng = random.Random(args.seed)
    out, incidents = Writer(), []
    shares = budgets(rng, args.events, args.customers)
    carry = 0
    number = 0
    # A customer whose journeys reach the end of the period leaves part of their share to the next one.
    while number < args.customers or (carry > 0 and number < args.customers * 2):
        share = (shares[number] if number < args.customers else 0) + carry
        number += 1
        c = Customer(number, rng, out, incidents, share)
        customer_events(c)
        carry = c.budget
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write("event_id,user_id,event_name,page_location,event_timestamp,ga_session_id,device,utm_source,utm_medium,"
                "campaign,plan\n")
        for day in out.days:
            day.sort()
            f.write("".join(line + "\n" for _, line in day))
    summary = f"{args.out}: {out.count} events, {number} customers"
    if args.support_log:
        tickets, moments = write_support_log(args.support_log, rng, incidents, args.events // 20)
        summary += f"; {args.support_log}: {tickets} tickets (of {moments} moments that could explain one)"
    print(f"{summary}; {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
