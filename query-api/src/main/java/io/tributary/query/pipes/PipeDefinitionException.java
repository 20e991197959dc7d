package io.tributary.query.pipes;

/** A pipe file cannot be loaded; the message starts with {@code <file>:<line>:} so authors can jump to it. */
public final class PipeDefinitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    public PipeDefinitionException(String file, int line, String problem) {
        super(line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    /** 1-based line of the problem, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
