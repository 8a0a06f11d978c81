"""The load lock, shared by loads, entity merges, seeding, corrections and source renames:
none of them changes data under another.

It lives in a module of its own because every one of those takes it: with it inside
`etl.store.load`, the loader (which seeds and merges) and the seeder and merger (which
lock) imported each other.
"""

import psycopg

# The load lock: a view only its owner may lock in EXCLUSIVE mode (migration 0010).
LOCK_STATEMENT = "LOCK TABLE public.load_lock IN EXCLUSIVE MODE"


def take_load_lock(conn: psycopg.Connection, wait: float) -> bool:
    """Take the load lock in `conn`'s open transaction, which holds it until it ends;
    wait up to `wait` seconds (0: not at all). True once held, False if a load or an
    entity merge still holds it. Loads and merges share it, so neither changes data
    under the other. Raises psycopg.errors.UndefinedTable before revision 0010 and
    InsufficientPrivilege for a role that may not load."""
    idle = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    if conn.autocommit and idle:  # inside `with conn.transaction()` it has one: fine
        raise ValueError("the load lock lives in a transaction: not on an autocommit "
                         "connection outside one")
    if idle:
        conn.execute("SELECT 1")  # BEGIN: the lock is held until this transaction ends
    ms = max(0, round(wait * 1000))
    try:
        with conn.transaction():  # a savepoint: a refusal leaves the transaction usable
            if ms:
                prev = conn.execute("SELECT current_setting('lock_timeout')").fetchone()
                conn.execute("SELECT set_config('lock_timeout', %s, true)", (f"{ms}ms",))
                conn.execute(LOCK_STATEMENT)
                conn.execute("SELECT set_config('lock_timeout', %s, true)",
                             (prev[0] if prev else "0",))
            else:
                conn.execute(LOCK_STATEMENT + " NOWAIT")
    except psycopg.errors.LockNotAvailable:
        return False
    return True
