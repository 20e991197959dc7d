package io.tributary.schemas.registry;

/** A registry failure with Confluent's HTTP status and error code. */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    /** Registry unreachable or answered something that is not the Confluent API. */
    public static final int UNAVAILABLE = 50001;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        this(httpStatus, errorCode, message, null);
    }

    public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }
}
