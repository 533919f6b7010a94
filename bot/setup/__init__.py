"""`planbot setup`: create the GitHub App through GitHub's manifest flow and write its `.env`.

- `manifest`: the manifest built from `app.yml`, and where the browser posts it (github.com, an
  organisation, or a GitHub Enterprise Server host).
- `exchange`: trading the code GitHub redirects back with for the new app's credentials.
- `envfile`: writing those credentials into `.env` (merged, mode 0600).
- `server`: the small local web page that drives the browser through the flow.

The modules are imported on use; this one holds only the error they share.
"""

from __future__ import annotations


class SetupError(RuntimeError):
    """The setup cannot go on; the message is one line saying why and, where it can, what to do."""
