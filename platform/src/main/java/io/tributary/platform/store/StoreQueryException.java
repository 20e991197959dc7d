package io.tributary.platform.store;

/** The store was reachable but rejected or failed the statement (bad SQL, type error, limits). */
public class StoreQueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
