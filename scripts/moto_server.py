"""moto's server, with every request made atomic.

moto's threaded server runs requests concurrently without a lock, and its
TransactWriteItems rolls back a cancelled transaction by restoring a copy of
the whole table taken before it started, erasing writes other requests made
in between. DynamoDB makes each request atomic; serialising requests here gives
moto that property, so concurrency tests exercise our conditions, not moto's
race. Requests still interleave with each other exactly as on AWS.

usage: python scripts/moto_server.py PORT
"""

import sys
import threading

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple


def main() -> None:
    port = int(sys.argv[1])
    app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            return list(app(environ, start_response))

    run_simple("127.0.0.1", port, one_at_a_time, threaded=True)


if __name__ == "__main__":
    main()
