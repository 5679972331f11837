package io.sochdb.release.state;

/** The state store cannot be used as it is; the message names the file or database and what to do. */
public final class StateStoreStartupException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public StateStoreStartupException(String message) {
        super(message);
    }
}
