package io.sochdb.release.state;

import java.nio.file.Path;

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
}
