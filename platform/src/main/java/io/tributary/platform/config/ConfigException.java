package io.tributary.platform.config;

/** A setting is missing or invalid; the message names it and says what is expected. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
