"""Which SQL ran in which transaction, for tests that hold a flow to its database cost."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event

from storage.db import Database


@dataclass
class Transaction:
    """The statements one transaction ran (BEGIN itself not counted)."""

    statements: list[str] = field(default_factory=list)

    def count(self, pattern: str) -> int:
        """How many statements match `pattern` (a regular expression, any case)."""
        return sum(1 for s in self.statements if re.search(pattern, s, re.IGNORECASE))

    def touches(self, pattern: str) -> bool:
        return self.count(pattern) > 0


@dataclass
class Log:
    transactions: list[Transaction] = field(default_factory=list)

    def count(self, pattern: str) -> int:
        return sum(transaction.count(pattern) for transaction in self.transactions)

    @property
    def statements(self) -> list[str]:
        return [statement for t in self.transactions for statement in t.statements]

    def touching(self, pattern: str) -> list[Transaction]:
        return [t for t in self.transactions if t.touches(pattern)]

    def clear(self) -> None:
        self.transactions.clear()


@contextmanager
def recorded(db: Database) -> Iterator[Log]:
    """Every transaction begun on the database's engines while the block runs."""
    log = Log()
    current: dict[int, Transaction] = {}

    def began(connection: Any) -> None:
        transaction = Transaction()
        current[id(connection)] = transaction
        log.transactions.append(transaction)

    def executed(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN"):
            return
        transaction = current.get(id(connection))
        if transaction is None:
            transaction = Transaction()
            current[id(connection)] = transaction
            log.transactions.append(transaction)
        transaction.statements.append(" ".join(statement.split()))

    def driver_executed(connection: object, statement: str) -> None:
        executed(connection, None, statement)

    engines = db.sync_engines
    for engine in engines:
        event.listen(engine, "begin", began)
        event.listen(engine, "before_cursor_execute", executed)
    # PostgreSQL's hot path runs on the driver's connections (storage/pg_driver.py)
    db.driver_events.began.append(began)
    db.driver_events.executed.append(driver_executed)
    try:
        yield log
    finally:
        for engine in engines:
            event.remove(engine, "begin", began)
            event.remove(engine, "before_cursor_execute", executed)
        db.driver_events.began.remove(began)
        db.driver_events.executed.remove(driver_executed)
