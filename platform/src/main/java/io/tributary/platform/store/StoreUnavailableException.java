package io.tributary.platform.store;

/** The store cannot be reached or is not ready; the operation may succeed later. */
public class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
