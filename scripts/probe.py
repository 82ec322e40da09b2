#!/usr/bin/env python3
"""Ask this host's web process for a health endpoint; exit 0 on 200, 1 otherwise.

    python scripts/probe.py /health/live/    # the image's HEALTHCHECK
    python scripts/probe.py /health/ready/   # docker-compose's, for `web`

The image has no curl; this is the standard library only, and starts in a few milliseconds
(no Django). It calls gunicorn at http://127.0.0.1:8000 with the first host of
ALLOWED_HOSTS as its Host header, which Django requires; the health paths are exempt from the
HTTPS redirect. A failing answer's body, which names the failing component, is printed for
`docker inspect`.
"""

import os
import sys
import urllib.error
import urllib.request


def host_header() -> str:
    first = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    first = first.lstrip(".")  # ".example.be" allows example.be itself
    return first if first and first != "*" else "localhost"


def main(path: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:8000{path}", headers={"Host": host_header()})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310  a local http URL
            print(response.read().decode(errors="replace"), end="")
            return 0
    except urllib.error.HTTPError as error:
        print(f"{error.code}\n{error.read().decode(errors='replace')}", end="")
    except OSError as error:
        print(f"no answer: {error}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/health/live/"))
