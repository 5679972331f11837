package io.sochdb.release.state;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import io.sochdb.release.fixtures.Postgres;

/** The two databases the store must behave alike on: the embedded default and PostgreSQL. */
enum StoreKind {
    H2, POSTGRES;

    StateDatabase open(Path tmp) {
        if (this == H2) {
            return StateDatabase.open("", null, null, tmp.resolve("state"));
        }
        Postgres.Database db = Postgres.freshDatabase();
        return StateDatabase.open(db.url(), db.user(), db.password(), tmp);
    }

    /** A clock the test moves by hand, so that leases expire without waiting. */
    static final class TestClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-01T12:00:00Z").toEpochMilli());

        void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }
}
