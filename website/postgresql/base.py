"""Django's PostgreSQL backend with a health check that asks the socket before it asks the server.

With CONN_HEALTH_CHECKS, Django runs `SELECT 1` before the first query of every request that reuses a
connection: a round trip to PostgreSQL on every page, as many as the pages' own queries on a search. Yet a
connection the server has ended (a restart, `pg_terminate_backend`, `idle_session_timeout`) is one whose socket
has something to read: the server's closing message, or the end of the stream. So a connection in good order
with nothing waiting on its socket is reused as it is; anything else gets Django's own `SELECT 1`, and a
connection that fails it is replaced before the request's first query, as Django would.
"""

import select

from psycopg.pq import ConnStatus, TransactionStatus

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.health_check_enabled and not self.health_check_done and self.connection_is_quiet():
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def connection_is_quiet(self) -> bool:
        """Whether the open connection is idle, in good order, and the server has sent nothing since its last
        answer."""
        connection = self.connection
        if connection is None or connection.closed:
            return False
        pgconn = connection.pgconn
        if pgconn.status != ConnStatus.OK or pgconn.transaction_status != TransactionStatus.IDLE:
            return False
        # poll(), not select(): select() refuses a descriptor above 1,023, which a busy process may hand out.
        poller = select.poll()
        try:
            poller.register(pgconn.socket, select.POLLIN)  # hang-ups and errors are reported whatever is asked
            return not poller.poll(0)
        except (OSError, ValueError):  # the socket is gone
            return False
