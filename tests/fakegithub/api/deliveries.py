"""The app's webhook delivery log (JWT): list attempts newest first by cursor, read one with
its request and answer, and ask for a redelivery."""

from __future__ import annotations

import copy
import time
from urllib.parse import urlencode

import httpx

from tests.fakegithub import deliveries
from tests.fakegithub.api.base import Handlers
from tests.fakegithub.routing import Call, HttpError, Reply, Router, invalid, not_found
from tests.fakegithub.state import Delivery, Redelivery, now

MAX_PER_PAGE = 100
STATUS_FILTERS = ("success", "failure")


class DeliveryRoutes(Handlers):
    """`/app/hook/deliveries`: the log a reconciliation sweep reads to find what never arrived."""

    def register(self, router: Router) -> None:
        router.add("GET", "/app/hook/deliveries", self.list_deliveries, auth="app")
        router.add("GET", "/app/hook/deliveries/{id:int}", self.get_delivery, auth="app")
        router.add("POST", "/app/hook/deliveries/{id:int}/attempts", self.redeliver, auth="app")

    def list_deliveries(self, call: Call) -> Reply:
        """One page of attempts, newest first; a `rel="next"` link carries the cursor while more
        remain (GitHub gives no page numbers, no `last`)."""
        per_page = max(1, min(MAX_PER_PAGE, call.param_int("per_page", 30)))
        wanted = call.params.get("status") or None
        if wanted is not None and wanted not in STATUS_FILTERS:
            raise invalid(f"status must be one of {', '.join(STATUS_FILTERS)}")
        listed = deliveries.newest_first(self.world.deliveries.values())
        if wanted is not None:
            listed = [d for d in listed if d.failed == (wanted == "failure")]
        cursor = call.params.get("cursor") or None
        if cursor is not None:
            after = deliveries.older_than_cursor(listed, cursor, self.world.deliveries)
            if after is None:
                raise HttpError(400, "Invalid cursor")
            listed = after
        chunk = listed[:per_page]
        headers: dict[str, str] = {}
        if len(listed) > per_page:
            query = {**call.params, "per_page": str(per_page), "cursor": deliveries.cursor_for(chunk[-1])}
            headers["link"] = f'<{self.shapes.api}{call.path}?{urlencode(query)}>; rel="next"'
        return Reply(200, [self.shapes.hook_delivery_item(d) for d in chunk], headers)

    def get_delivery(self, call: Call) -> Reply:
        return Reply(200, self.shapes.hook_delivery(self.delivery(call)))

    def redeliver(self, call: Call) -> Reply:
        """Record the request, then (before answering 202, off the lock) deliver again through
        the test's `on_redeliver` callback and log the new attempt with the status it got.
        Without a callback nobody is listening: the attempt fails as unreachable."""
        original = self.delivery(call)
        if now() - original.delivered_at > deliveries.REDELIVERY_WINDOW:
            raise invalid("Deliveries older than 3 days cannot be redelivered")
        request = Redelivery(original.id, original.guid, now())
        self.world.redeliveries.append(request)
        world, callback = self.world, self.options.on_redeliver
        item, payload = deliveries.view(original), copy.deepcopy(original.payload)

        def deliver() -> None:
            started = time.monotonic()
            if callback is None:
                status_code, status = 0, deliveries.STATUS_UNREACHABLE
            else:
                status_code, status = call_back(callback, item, payload)
            with world.lock:
                attempt = deliveries.attempt_again(world, original, status_code, status,
                                                   time.monotonic() - started)
                request.attempt_id = attempt.id

        return Reply(202, {}, after=deliver)

    def delivery(self, call: Call) -> Delivery:
        found = self.world.deliveries.get(call.arg_int("id"))
        if found is None:
            raise not_found()
        return found


def call_back(callback: deliveries.Redeliver, item: deliveries.DeliveryView,
              payload: dict[str, object]) -> tuple[int, str]:
    """The status the app answered the redelivery with. A timeout or a refused connection is an
    attempt that never got an answer (0); any other exception is the test's bug and propagates."""
    try:
        status_code = callback(item, payload)
    except (httpx.TimeoutException, TimeoutError):
        return 0, deliveries.STATUS_TIMEOUT
    except (httpx.TransportError, ConnectionError):
        return 0, deliveries.STATUS_UNREACHABLE
    if not isinstance(status_code, int) or isinstance(status_code, bool):
        raise TypeError(f"on_redeliver must return the HTTP status the app answered, not {status_code!r}")
    return status_code, deliveries.status_text(status_code)

