"""The headers GitHub sends with every webhook delivery, and the path planbot receives them on."""

from __future__ import annotations

WEBHOOK_PATH = "/api/github/webhooks"  # Probot's path, so an app's webhook URL carries over

EVENT_HEADER = "X-GitHub-Event"
DELIVERY_HEADER = "X-GitHub-Delivery"  # the same on a redelivery
SIGNATURE_HEADER = "X-Hub-Signature-256"
