"""The Locust user launchready generates for ``launchready load --engine locust``.

NEVER imported by launchready (Locust's gevent monkey-patches ssl and sockets): ``locust_engine`` copies
this file with the scenario embedded below and runs it with ``python -m locust``, so the generated
locustfile is self-contained and can be kept and re-run by hand.

Every step carries a full URL. Locust resolves names with the system resolver, so launchready resolves
lab and private names itself and passes the address in the URL plus the real name in ``Host``; on HTTPS
the certificate cannot then match the IP, so verification is off (``insecure``) — the TLS handshake still
happens, only the name check is skipped. Chats are timed as a whole (no TTFT: use the native engine).
"""
# mypy: ignore-errors

import json
import random

from locust import FastHttpUser, constant, constant_throughput, task
from locust.exception import StopUser

SCENARIO = json.loads(r"""__SCENARIO_JSON__""")
STEPS = SCENARIO["steps"]
CUMULATIVE = []
_total = 0.0
for _step in STEPS:
    _total += _step["weight"]
    CUMULATIVE.append(_total)


class LaunchreadyUser(FastHttpUser):
    host = SCENARIO["base_url"]
    insecure = True
    network_timeout = SCENARIO["timeout_s"]
    connection_timeout = min(10.0, SCENARIO["timeout_s"])
    wait_time = (
        constant_throughput(SCENARIO["pace_per_user"])
        if SCENARIO["pace_per_user"]
        else constant(SCENARIO["think_s"])
    )

    def on_start(self):
        self.sent = 0
        self.token = None
        login = SCENARIO["login"]
        if login is not None:
            with self.client.request(
                login["method"],
                login["url"],
                headers=login["headers"],
                json=login["json"],
                data=login["body"],
                name="login (setup)",
                catch_response=True,
            ) as response:
                try:
                    self.token = (response.json() or {}).get("token") or (response.json() or {}).get(
                        "access_token"
                    )
                except Exception:
                    self.token = None
                response.success()

    @task
    def step(self):
        if self.sent >= SCENARIO["requests_per_user"]:
            raise StopUser()
        self.sent += 1
        step = random.choices(STEPS, cum_weights=CUMULATIVE)[0]
        headers = dict(step["headers"])
        if step["needs_auth"] and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        with self.client.request(
            step["method"],
            step["url"],
            headers=headers,
            json=step["json"],
            data=step["body"],
            name=step["name"],
            catch_response=True,
        ) as response:
            if response.status_code and response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
            elif (
                step["is_chat"]
                and SCENARIO["done_marker"]
                and response.text is not None
                and (
                    "text/event-stream" in (response.headers.get("content-type") or "")
                    and SCENARIO["done_marker"] not in response.text
                )
            ):
                response.failure("stream-cut")
