"""Iamport's own Python client (PyPI `iamport-rest-client`) against iamport-sandbox.

Usage: python_iamport.py BASE_URL IMP_KEY IMP_SECRET SCHEDULE_AT
Prints one JSON object: {"flows": {name: observation}, "skipped": {name: why}}.
Observations hold statuses, codes and ids only, never card data.

Base URL: the client's own `imp_url` argument (it must end with "/": the client
formats `'{}payments/...'.format(imp_url)`).
Quirks kept as they are: a bare `Authorization: <token>` header (no `Bearer`),
a new getToken call before every request, JSON bodies, and `customer_uid` sent
in the body of `customer_create` as well as in its path.
"""
import json
import sys

from iamport import Iamport

base, key, secret, schedule_at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
client = Iamport(imp_key=key, imp_secret=secret, imp_url=base.rstrip("/") + "/")
CARD = {"card_number": "4111-1111-1111-1111", "expiry": "2028-12", "birth": "820213", "pwd_2digit": "12"}
flows = {}


def run(name, fn):
    """Runs one flow; records what came back, or the client's error (code/message only)."""
    try:
        flows[name] = {"ok": True, **fn()}
    except Iamport.ResponseError as e:
        flows[name] = {"ok": False, "error": "ResponseError", "code": e.code}
    except Iamport.HttpError as e:
        flows[name] = {"ok": False, "error": "HttpError", "http": e.code}


def pay(merchant_uid, card_number):
    r = client.pay_onetime(merchant_uid=merchant_uid, amount=1000, name="py", **{**CARD, "card_number": card_number})
    return {"status": r["status"], "imp_uid": r["imp_uid"]}


run("onetime", lambda: pay("py_pay", "4111-1111-1111-1111"))
run("decline_status_failed", lambda: pay("py_decline_failed", "4000-0000-0000-0010"))
run("decline_code", lambda: pay("py_decline_code", "4000-0000-0000-0028"))
run("find_by_merchant_uid", lambda: (lambda r: {"status": r["status"], "imp_uid": r["imp_uid"]})(client.find(merchant_uid="py_pay")))
imp_uid = flows["onetime"].get("imp_uid", "")
run("find_by_imp_uid", lambda: (lambda r: {"status": r["status"], "merchant_uid": r["merchant_uid"]})(client.find(imp_uid=imp_uid)))
run("billing_key_create", lambda: {"customer_uid": client.customer_create(customer_uid="py_cust", **CARD)["customer_uid"]})
run("billing_key_get", lambda: {"customer_uid": client.customer_get("py_cust")["customer_uid"]})
run("again", lambda: (lambda r: {"status": r["status"]})(client.pay_again(customer_uid="py_cust", merchant_uid="py_again", amount=2000, name="again")))
run("schedule", lambda: {"merchant_uids": [s["merchant_uid"] for s in client.pay_schedule(
    customer_uid="py_cust", schedules=[{"merchant_uid": "py_sched", "schedule_at": schedule_at, "amount": 1500, "name": "plan"}])]})
run("get_schedule", lambda: {"schedule_status": client.pay_schedule_get("py_sched")["schedule_status"]})
run("unschedule", lambda: {"schedule_status": [s["schedule_status"] for s in client.pay_unschedule(customer_uid="py_cust", merchant_uid=["py_sched"])]})
run("cancel_partial", lambda: (lambda r: {"status": r["status"], "cancel_amount": r["cancel_amount"]})(
    client.cancel("partial", imp_uid=imp_uid, amount=300, checksum=1000)))
run("cancel_full", lambda: (lambda r: {"status": r["status"], "cancel_amount": r["cancel_amount"]})(
    client.cancel("rest", merchant_uid="py_pay")))
run("billing_key_delete", lambda: {"customer_uid": client.customer_delete("py_cust")["customer_uid"]})
run("billing_key_get_after_delete", lambda: {"customer_uid": client.customer_get("py_cust")["customer_uid"]})

print(json.dumps({"flows": flows, "skipped": {}}))
