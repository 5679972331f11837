package io.sochdb.release.state;

import io.sochdb.release.retry.Classified;
import java.sql.SQLException;

/** The state store could not be read or written; the message names the statement's first words, never values. */
public final class StateStoreException extends RuntimeException implements Classified {

    @Override
    public boolean passing() {
        return true;
    }

    private static final long serialVersionUID = 1L;

    public StateStoreException(String sql, SQLException cause) {
        super("release state store: " + summary(sql) + " failed: " + cause.getMessage(), cause);
    }

    private static String summary(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 60 ? oneLine.substring(0, 60) + "…" : oneLine;
    }
}
