#!/usr/bin/env python3
"""Writes web-analytics-events.csv: a GA4/PostHog-style event export of the online running-shoe store of
samples/maps/ecommerce-journey.json for October 2026 (one row per event, times in UTC).

The customers of support-log.csv (C-1001..C-1013) have scripted stories that lead up to their tickets (C-1001 tracks a
late parcel, then opens the chat; C-1003's card is declined at checkout, then they phone); about fifty others take
seeded random walks: ad, social, search, referral and Trustpilot landings, product pages, reviews and videos, back to
search, the cart and checkout (some leave there), delivery tracking, returns, newsletter opens and review requests.
A few rows match no rule of ecommerce-event-rules.json (/careers, the app's heartbeat) and one search query holds an
e-mail address, so "unmapped" and redaction have something to show.

Usage: python3 samples/imports/make-web-analytics.py [output=web-analytics-events.csv next to this script]
"""
import csv
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

HOST = "https://shop.example.com"
COLUMNS = ["event_id", "user_id", "event_name", "page_url", "timestamp", "session_id", "device", "utm_source",
           "utm_medium", "campaign", "search_query", "plan"]
PRODUCTS = ["pacer-3", "trail-glide-2", "tempo-racer", "cloudstride-9", "marathon-max", "roadlite-4", "fellrunner-gtx"]
CATEGORIES = ["road-running", "trail-running", "racing", "womens-running", "sale"]
QUERIES = ["wide fit running shoes", "trail shoes waterproof", "pacer 3 size 40", "carbon plate racer",
           "half marathon shoes", "running socks", "tempo racer vs pacer", "cushioned road shoe"]
# Landings: (utm_source, utm_medium, weight). No utm: a direct visit.
LANDINGS = [("instagram", "social", 14), ("tiktok", "social", 8), ("facebook", "social", 5), ("google", "cpc", 16),
            ("facebook", "cpc", 6), ("google", "organic", 18), ("bing", "organic", 4), ("friend_referral", "referral", 7),
            ("trustpilot", "referral", 6), (None, None, 16)]

rng = random.Random(20261001)
rows = []
order_numbers = iter(range(55700, 56000, 3))


class Visitor:
    def __init__(self, user_id, device, plan):
        self.user_id, self.device, self.plan = user_id, device, plan
        self.session = None

    def start_session(self, at):
        # GA4's ga_session_id is the session's start in Unix seconds.
        self.session = str(int(at.timestamp()))

    def event(self, at, name, path=None, utm=(None, None), campaign=None, query=None, new_session=False):
        if new_session or self.session is None:
            self.start_session(at)
        url = HOST + path if path else ""
        if path and utm[0]:
            url += ("&" if "?" in path else "?") + f"utm_source={utm[0]}&utm_medium={utm[1]}"
        rows.append({
            "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "user_id": self.user_id, "event_name": name,
            "page_url": url, "timestamp": at, "session_id": self.session if (path or name == "app_heartbeat") else "",
            "device": self.device, "utm_source": utm[0] or "", "utm_medium": utm[1] or "", "campaign": campaign or "",
            "search_query": query or "", "plan": self.plan})
        return at


def at(day, hour, minute, second=0):
    return datetime(2026, 10, day, hour, minute, second, rng.randrange(1000) * 1000, tzinfo=timezone.utc)


def later(t, low, high):
    return t + timedelta(seconds=rng.uniform(low, high))


# --- Scripted stories of the support-log customers; each ends at or just before the ticket (see support-log.csv). ---

def c1001(v):  # chat 1 Oct 08:12, parcel late
    t = v.event(at(1, 7, 48), "email_open", campaign="order")
    t = v.event(later(t, 20, 60), "page_view", "/orders/55712/tracking", utm=("order_email", "email"), new_session=True)
    t = v.event(later(t, 60, 120), "page_view", "/orders/55712/tracking?refresh=1")
    t = v.event(later(t, 30, 90), "page_view", "/help/delivery")
    t = v.event(later(t, 60, 120), "page_view", "/help/delivery/late-parcel")
    t = v.event(at(1, 8, 11, 20), "chat_started", "/help/delivery/late-parcel")
    t = v.event(at(3, 18, 40), "page_view", "/orders/55712/tracking", new_session=True)
    t = v.event(at(4, 12, 5), "email_open", campaign="order")
    t = v.event(at(15, 20, 10), "email_open", campaign="review_request")
    t = v.event(later(t, 30, 200), "page_view", "/write-review/pacer-3", utm=("review_request", "email"), new_session=True)
    v.event(later(t, 120, 300), "review_submitted", "/write-review/pacer-3/thanks")


def c1002(v):  # e-mail 1 Oct 09:40, refund two weeks after returning
    t = v.event(at(1, 9, 22), "page_view", "/account/orders", new_session=True)
    t = v.event(later(t, 20, 60), "page_view", "/returns/status/R-8812")
    t = v.event(later(t, 40, 90), "page_view", "/help/refunds")
    t = v.event(later(t, 60, 200), "page_view", "/help/contact")
    t = v.event(at(8, 19, 2), "page_view", "/returns/status/R-8812", new_session=True)
    t = v.event(at(12, 7, 30), "newsletter_open", campaign="weekly-offers-41", utm=("newsletter", "email"))
    v.event(at(20, 21, 15), "newsletter_open", campaign="weekly-offers-42", utm=("newsletter", "email"))


def c1003(v):  # phone 1 Oct 10:05, card declined twice; does not buy
    t = v.event(at(1, 9, 31), "page_view", "/products/tempo-racer", utm=("google", "cpc"), new_session=True)
    t = v.event(later(t, 40, 120), "view_item", "/products/tempo-racer?size=41")
    t = v.event(later(t, 20, 60), "add_to_cart", "/products/tempo-racer?size=41")
    t = v.event(later(t, 10, 30), "page_view", "/cart")
    t = v.event(later(t, 20, 40), "begin_checkout", "/checkout")
    t = v.event(later(t, 60, 90), "add_payment_info", "/checkout/payment")
    t = v.event(later(t, 5, 10), "payment_failed", "/checkout/payment?error=declined")
    t = v.event(later(t, 60, 120), "add_payment_info", "/checkout/payment")
    t = v.event(later(t, 5, 10), "payment_failed", "/checkout/payment?error=declined")
    v.event(later(t, 60, 120), "page_view", "/help/payments")
    v.event(at(9, 13, 0), "page_view", "/products/tempo-racer", new_session=True)


def c1004(v):  # chat 2 Oct 11:30, size advice, happy; buys, reviews, refers a friend
    t = v.event(at(2, 10, 52), "page_view", "/products/pacer-3", utm=("instagram", "social"), new_session=True)
    t = v.event(later(t, 30, 60), "video_play", "/products/pacer-3")
    t = v.event(later(t, 60, 120), "page_view", "/products/pacer-3/reviews")
    t = v.event(later(t, 40, 90), "page_view", "/size-guide?brand=pacer")
    t = v.event(at(2, 11, 14), "chat_started", "/products/pacer-3")
    t = v.event(at(2, 11, 33), "add_to_cart", "/products/pacer-3?size=39")
    t = v.event(later(t, 10, 30), "page_view", "/cart")
    t = v.event(later(t, 20, 40), "begin_checkout", "/checkout")
    t = v.event(later(t, 60, 120), "add_payment_info", "/checkout/payment")
    t = v.event(later(t, 20, 40), "purchase", "/checkout/confirmation?order=55731")
    t = v.event(later(t, 60, 300), "email_open", campaign="order")
    t = v.event(at(4, 8, 10), "page_view", "/orders/55731/tracking", new_session=True)
    t = v.event(at(14, 19, 45), "email_open", campaign="review_request")
    t = v.event(later(t, 30, 90), "page_view", "/write-review/pacer-3", utm=("review_request", "email"), new_session=True)
    t = v.event(later(t, 120, 240), "review_submitted", "/write-review/pacer-3/thanks")
    t = v.event(later(t, 30, 60), "page_view", "/account/refer")
    v.event(later(t, 20, 60), "referral_link_shared", "/account/refer")


def c1005(v):  # e-mail 2 Oct 13:15, wrong size and a damaged box; returns it
    t = v.event(at(1, 17, 20), "page_view", "/orders/55719/tracking", new_session=True)
    t = v.event(at(2, 12, 58), "page_view", "/account/orders/55719", new_session=True)
    t = v.event(later(t, 20, 60), "page_view", "/returns/start?order=55719")
    t = v.event(later(t, 60, 120), "page_view", "/help/wrong-item")
    t = v.event(at(5, 18, 30), "page_view", "/returns/start?order=55719", new_session=True)
    t = v.event(later(t, 60, 120), "page_view", "/returns/label/R-8840")
    v.event(at(13, 9, 10), "page_view", "/returns/status/R-8840", new_session=True)


def c1006(v):  # chat 2 Oct 15:45, the verification SMS never arrives (app)
    t = v.event(at(2, 15, 2), "app_heartbeat", new_session=True)
    t = v.event(later(t, 10, 30), "screen_view", "/login")
    for _ in range(3):
        t = v.event(later(t, 40, 120), "page_view", "/login/verify")
        t = v.event(later(t, 5, 20), "verification_code_requested", "/login/verify")
    t = v.event(later(t, 30, 90), "page_view", "/help/login")
    v.event(at(2, 15, 41), "chat_started", "/help/login")
    t = v.event(at(6, 8, 0), "app_heartbeat", new_session=True)
    v.event(later(t, 10, 30), "screen_view", "/products/trail-glide-2")


def c1007(v):  # phone 3 Oct 08:05, no notes; browsed the day before
    t = v.event(at(2, 21, 12), "page_view", "/", new_session=True)
    t = v.event(later(t, 20, 60), "page_view", "/category/trail-running")
    t = v.event(later(t, 30, 90), "page_view", "/products/fellrunner-gtx")
    v.event(later(t, 60, 120), "page_view", "/help/contact")


def c1008(v):  # e-mail 3 Oct 09:20, delivery fee shown late; leaves at checkout, buys after a newsletter
    t = v.event(at(3, 8, 48), "page_view", "/products/marathon-max", utm=("google", "organic"), new_session=True)
    t = v.event(later(t, 30, 60), "page_view", "/help/delivery-costs")
    t = v.event(later(t, 30, 60), "add_to_cart", "/products/marathon-max?size=44")
    t = v.event(later(t, 10, 20), "page_view", "/cart")
    t = v.event(later(t, 30, 60), "begin_checkout", "/checkout")
    t = v.event(later(t, 40, 80), "page_view", "/checkout/delivery")
    t = v.event(at(8, 7, 5), "newsletter_open", campaign="weekly-offers-41", utm=("newsletter", "email"))
    t = v.event(later(t, 20, 60), "page_view", "/category/sale", utm=("newsletter", "email"), new_session=True)
    t = v.event(later(t, 60, 120), "page_view", "/products/marathon-max")
    t = v.event(later(t, 20, 40), "add_to_cart", "/products/marathon-max?size=44")
    t = v.event(later(t, 20, 40), "begin_checkout", "/checkout")
    t = v.event(later(t, 60, 120), "purchase", "/checkout/confirmation?order=55790")
    v.event(later(t, 120, 600), "email_open", campaign="order")


def c1009(v):  # chat 3 Oct 12:00, 25 minutes in the queue, then cut off; leaves
    t = v.event(at(3, 11, 22), "page_view", "/products/cloudstride-9", utm=("tiktok", "social"), new_session=True)
    t = v.event(later(t, 40, 90), "add_to_cart", "/products/cloudstride-9?size=42")
    t = v.event(later(t, 10, 20), "page_view", "/cart")
    t = v.event(later(t, 30, 60), "begin_checkout", "/checkout")
    t = v.event(at(3, 11, 33), "chat_started", "/checkout")
    v.event(at(3, 11, 59), "page_view", "/help/contact")


def c1010(v):  # e-mail 4 Oct 10:10, invoice with the wrong VAT number (puts an e-mail address in the site search)
    t = v.event(at(2, 19, 0), "page_view", "/products/roadlite-4", utm=("friend_referral", "referral"), new_session=True)
    t = v.event(later(t, 60, 120), "add_to_cart", "/products/roadlite-4?size=43")
    t = v.event(later(t, 20, 40), "begin_checkout", "/checkout")
    t = v.event(later(t, 60, 120), "purchase", "/checkout/confirmation?order=55760")
    t = v.event(at(4, 9, 50), "page_view", "/account/orders/55760/invoice", new_session=True)
    query = "invoice jane.doe@example.com"
    t = v.event(later(t, 30, 60), "search", "/search?q=invoice+jane.doe%40example.com", query=query)
    v.event(later(t, 30, 90), "page_view", "/help/invoices")


def c1011(v):  # chat 4 Oct 16:30, the returns portal fails with error 500
    t = v.event(at(4, 16, 10), "page_view", "/returns/start?order=55702", new_session=True)
    for attempt in range(3):
        t = v.event(later(t, 40, 100), "page_view", f"/returns/label/R-8861?attempt={attempt + 1}")
    t = v.event(later(t, 30, 60), "page_view", "/help/returns")
    v.event(at(4, 16, 28), "chat_started", "/help/returns")
    v.event(at(9, 12, 0), "page_view", "/returns/status/R-8861", new_session=True)


def c1012(v):  # phone 5 Oct 09:00, delivery a day early, happy; reviews and refers
    t = v.event(at(3, 7, 40), "email_open", campaign="order")
    t = v.event(at(4, 12, 2), "page_view", "/orders/55744/tracking", new_session=True)
    t = v.event(at(18, 20, 30), "email_open", campaign="review_request")
    t = v.event(later(t, 60, 300), "page_view", "/write-review/trail-glide-2", utm=("review_request", "email"), new_session=True)
    t = v.event(later(t, 120, 300), "review_submitted", "/write-review/trail-glide-2/thanks")
    v.event(at(25, 9, 0), "page_view", "/invite/MAYA10", new_session=True)


def c1013(v):  # no ticket: looks at careers and leaves a question in the help centre
    t = v.event(at(7, 12, 30), "page_view", "/careers", new_session=True)
    t = v.event(later(t, 30, 90), "page_view", "/careers/warehouse-assistant")
    t = v.event(later(t, 60, 120), "page_view", "/", utm=("bing", "organic"), new_session=True)
    v.event(later(t, 30, 60), "page_view", "/help/contact")


# --- Random walks of everyone else. ---

def landing_page():
    return rng.choice([f"/products/{rng.choice(PRODUCTS)}"] * 3 + [f"/category/{rng.choice(CATEGORIES)}", "/"])


def browse(v, t, landing):
    """One session: a landing, then pages with a forward bias and jumps back to search; returns (time, outcome)."""
    t = v.event(t, "page_view", landing_page(), utm=landing, new_session=True)
    product = rng.choice(PRODUCTS)
    state = "browse"
    for _ in range(rng.randint(2, 9)):
        t = later(t, 15, 150)
        r = rng.random()
        if state == "browse":
            if r < 0.30:
                product = rng.choice(PRODUCTS)
                t = v.event(t, "view_item", f"/products/{product}?colour={rng.choice(['black', 'blue', 'coral'])}")
            elif r < 0.45:
                query = rng.choice(QUERIES)
                v.event(t, "search", "/search?q=" + query.replace(" ", "+"), query=query)
            elif r < 0.55:
                v.event(t, "page_view", f"/products/{product}/reviews")
            elif r < 0.62:
                v.event(t, "video_play", f"/videos/{product}-fit-guide")
            elif r < 0.68:
                v.event(t, "page_view", "/size-guide")
            elif r < 0.71:
                v.event(t, "chat_started", f"/products/{product}")
            elif r < 0.73:
                v.event(t, "page_view", "/careers")
            else:
                v.event(t, "add_to_cart", f"/products/{product}?size={rng.randint(36, 46)}")
                state = "cart"
        elif state == "cart":
            if r < 0.15:  # back to looking
                v.event(t, "page_view", "/search?q=" + rng.choice(QUERIES).replace(" ", "+"))
                state = "browse"
            else:
                v.event(t, "page_view", "/cart")
                t = v.event(later(t, 20, 90), "begin_checkout", "/checkout")
                state = "checkout"
        elif state == "checkout":
            if r < 0.12:
                v.event(t, "page_view", "/help/delivery-costs")
                return t, "dropped"
            if r < 0.20:
                v.event(t, "chat_started", "/checkout/payment")
                return t, "dropped"
            if r < 0.28:
                v.event(t, "payment_failed", "/checkout/payment?error=3ds_timeout")
                return t, "dropped"
            t = v.event(t, "add_payment_info", "/checkout/payment")
            t = v.event(later(t, 20, 60), "purchase", f"/checkout/confirmation?order={next(order_numbers)}")
            return t, "bought"
    return t, state


def after_purchase(v, t, order):
    t = v.event(later(t, 60, 900), "email_open", campaign="order")
    for _ in range(rng.randint(0, 3)):
        t = v.event(later(t, 8 * 3600, 40 * 3600), "page_view", f"/orders/{order}/tracking", new_session=True)
    if rng.random() < 0.2:
        t = v.event(later(t, 24 * 3600, 72 * 3600), "page_view", f"/help/{rng.choice(['returns', 'sizing', 'delivery'])}",
                    new_session=True)
        t = v.event(later(t, 30, 120), "page_view", f"/returns/start?order={order}")
        t = v.event(later(t, 60, 300), "page_view", f"/returns/label/R-{order + 3000}")
    if rng.random() < 0.5:
        t = v.event(later(t, 6 * 86400, 12 * 86400), "email_open", campaign="review_request")
        if rng.random() < 0.5:
            product = rng.choice(PRODUCTS)
            t = v.event(later(t, 30, 3600), "page_view", f"/write-review/{product}", utm=("review_request", "email"),
                        new_session=True)
            t = v.event(later(t, 60, 300), "review_submitted", f"/write-review/{product}/thanks")
            if rng.random() < 0.4:
                v.event(later(t, 20, 120), "referral_link_shared", "/account/refer")
    return t


def wander(v):
    t = at(rng.randint(1, 24), rng.choice([7, 8, 12, 13, 19, 20, 21, 22]), rng.randrange(60))
    sources, weights = [(s, m) for s, m, _ in LANDINGS], [w for _, _, w in LANDINGS]
    for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
        if t.month != 10:
            break
        if v.device == "app" and rng.random() < 0.5:
            v.event(t, "app_heartbeat", new_session=True)
        t, outcome = browse(v, t, rng.choices(sources, weights)[0])
        if outcome == "bought":
            t = after_purchase(v, t, next(order_numbers))
        elif outcome == "dropped" and rng.random() < 0.4:
            v.event(later(t, 3600, 20 * 3600), "page_view", "/help/contact", new_session=True)
        t = later(t, 86400, 6 * 86400)
    if rng.random() < 0.35:
        for week in rng.sample(range(4), rng.randint(1, 3)):
            opened = at(1 + 7 * week + rng.randrange(3), 7, rng.randrange(60))
            v.event(opened, "newsletter_open", campaign=f"weekly-offers-{40 + week}", utm=("newsletter", "email"))
            if rng.random() < 0.4:
                v.event(later(opened, 20, 300), "page_view", f"/category/{rng.choice(CATEGORIES)}",
                        utm=("newsletter", "email"), new_session=True)


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("web-analytics-events.csv")
    stories = [c1001, c1002, c1003, c1004, c1005, c1006, c1007, c1008, c1009, c1010, c1011, c1012, c1013]
    for number, story in enumerate(stories, start=1001):
        device = "app" if story is c1006 else rng.choice(["mobile", "mobile", "desktop", "tablet"])
        story(Visitor(f"C-{number}", device, rng.choice(["guest", "member", "member", "run-club"])))
    for number in range(2001, 2048):
        wander(Visitor(f"C-{number}", rng.choice(["mobile", "mobile", "mobile", "desktop", "desktop", "tablet", "app"]),
                       rng.choice(["guest", "guest", "member", "member", "run-club"])))
    october = [r for r in rows if r["timestamp"].month == 10]
    october.sort(key=lambda r: (r["timestamp"], r["user_id"]))
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in october:
            writer.writerow({**r, "timestamp": r["timestamp"].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"})
    customers = len({r["user_id"] for r in october})
    print(f"{out}: {len(october)} events, {customers} customers")


if __name__ == "__main__":
    main()
