package io.tributary.platform.fuzz;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * Runs a property over generated inputs, in plain JUnit 5: call {@link #check} from a {@code @Test}
 * method. Each run draws a fresh random run seed, on purpose: different inputs on every build is how
 * CI found the bugs the fuzz tests now pin. Each try gets its own random, seeded from the run seed,
 * so the system property {@code fuzz.seed} (e.g. {@code -Dfuzz.seed=42} on the Maven command line)
 * replays a run input for input. The first failing try fails the test with an {@link AssertionError}
 * naming the run seed, the try, the input and the cause; a failing {@code String} or {@code byte[]}
 * is also cut down by deleting chunks while it keeps failing the same way, a cheap hint at the part
 * that matters. A run that passes prints {@code <Class#method>: <tries> tries, seed <seed>}, so CI
 * logs show every property really ran its tries.
 */
public final class PropertyRun {
    public static final String SEED_PROPERTY = "fuzz.seed";
    /** How many characters (or bytes) of an input a failure message shows. */
    static final int SHOWN = 300;
    /** How many extra property calls the shrink may make: enough to shorten a 2,000-char input well, cheap next to the run. */
    private static final int SHRINK_BUDGET = 400;

    private PropertyRun() {
    }

    /**
     * Where a run reports: {@code test} as {@code -Dtest} takes it ({@code Class#method}), the Maven
     * {@code module} that holds it, the run {@code seed} and where the summary line goes.
     */
    record Run(String test, String module, long seed, Consumer<String> log) {
    }

    /**
     * Tries {@code property} on {@code tries} inputs drawn from {@code inputs}. The name printed and
     * reported is the calling test method's, found on the stack so that it cannot go stale when a
     * test is renamed.
     */
    public static <T> void check(int tries, Function<RandomGenerator, ? extends T> inputs, Consumer<? super T> property) {
        StackWalker.StackFrame caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.skip(1).findFirst()).orElseThrow();
        Class<?> test = caller.getDeclaringClass();
        check(new Run(test.getSimpleName() + "#" + caller.getMethodName(), module(test), runSeed(System.getProperty(SEED_PROPERTY)), System.out::println),
                tries, inputs, property);
    }

    /** The Maven module whose target/test-classes holds {@code test}, for the reproduce line; a placeholder when it is not run from there. */
    private static String module(Class<?> test) {
        try {
            Path classes = Path.of(test.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (classes.endsWith(Path.of("target", "test-classes"))) {
                return classes.getParent().getParent().getFileName().toString();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (or not a file): fall through to the placeholder
        }
        return "<module>";
    }

    static <T> void check(Run run, int tries, Function<RandomGenerator, ? extends T> inputs, Consumer<? super T> property) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be at least 1: " + tries);
        }
        SplittableRandom seeds = new SplittableRandom(run.seed());
        for (int attempt = 1; attempt <= tries; attempt++) {
            T input = inputs.apply(new SplittableRandom(seeds.nextLong()));
            Throwable failure = failure(property, input);
            if (failure != null) {
                throw report(run, attempt, tries, input, failure, property);
            }
        }
        run.log().accept(run.test() + ": " + tries + " tries, seed " + run.seed());
    }

    /** The seed {@code -Dfuzz.seed} gives ({@code fixed}), or a random one when it is not set. */
    static long runSeed(String fixed) {
        if (fixed == null || fixed.isBlank()) {
            return new SplittableRandom().nextLong();
        }
        try {
            return Long.parseLong(fixed.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a long, not '" + fixed + "'", e);
        }
    }

    /** What {@code property} threw on {@code input}, or null. Only an out-of-memory error is let through: there is no room left to report it. */
    private static <T> Throwable failure(Consumer<? super T> property, T input) {
        try {
            property.accept(input);
            return null;
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            return e;
        }
    }

    private static <T> AssertionError report(Run run, int attempt, int tries, T input, Throwable failure, Consumer<? super T> property) {
        StringBuilder message = new StringBuilder()
                .append(run.test()).append(" failed at try ").append(attempt).append(" of ").append(tries)
                .append(", run seed ").append(run.seed()).append('\n')
                .append("  input: ").append(describe(input)).append('\n')
                .append("  cause: ").append(abbreviate(String.valueOf(failure))).append('\n');
        Object smaller = shrink(input, failure, property);
        if (smaller != null) {
            Throwable smallerFailure = failure(property, cast(smaller));
            message.append("  smallest failing variant found by deleting chunks: ").append(describe(smaller)).append('\n')
                    .append("    its cause: ").append(abbreviate(String.valueOf(smallerFailure))).append('\n');
        }
        message.append("  reproduce: ./mvnw -B -pl ").append(run.module()).append(" -am verify -Dtest='").append(run.test())
                .append("' -Dit.test=NONE -Dapicurio.skipUnpack=true -D").append(SEED_PROPERTY).append('=').append(run.seed());
        return new AssertionError(message.toString(), failure);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    /**
     * A shorter input of the same type that still fails {@link #sameWay the same way}, or null when the input is
     * not a String or byte[] or no chunk can go. Deletes halves, then quarters, and so on down to
     * single elements, keeping every deletion after which the property still fails that way.
     */
    private static <T> Object shrink(T input, Throwable failure, Consumer<? super T> property) {
        Function<Object, Throwable> fails = candidate -> failure(property, cast(candidate));
        if (input instanceof String s) {
            return new Shape<>(s, String::length, (v, from, to) -> v.substring(0, from) + v.substring(to)).shrink(failure, fails);
        }
        if (input instanceof byte[] b) {
            return new Shape<>(b, v -> v.length, PropertyRun::cutBytes).shrink(failure, fails);
        }
        return null;
    }

    private static byte[] cutBytes(byte[] value, int from, int to) {
        byte[] out = Arrays.copyOf(value, value.length - (to - from));
        System.arraycopy(value, to, out, from, value.length - to);
        return out;
    }

    private interface Cut<V> {
        V without(V value, int from, int to);
    }

    private record Shape<V>(V value, ToIntFunction<V> length, Cut<V> cut) {
        V shrink(Throwable failure, Function<Object, Throwable> fails) {
            V best = value;
            int budget = SHRINK_BUDGET;
            for (int chunk = length.applyAsInt(best) / 2; chunk >= 1 && budget > 0; chunk /= 2) {
                for (int from = 0; from + chunk <= length.applyAsInt(best) && budget > 0; ) {
                    V candidate = cut.without(best, from, from + chunk);
                    budget--;
                    Throwable t = fails.apply(candidate);
                    if (t != null && sameWay(t, failure)) {
                        best = candidate;
                    } else {
                        from += chunk;
                    }
                }
            }
            return best == value ? null : best;
        }
    }

    /**
     * Whether two failures are the same failure: the same throwable class thrown from the same line
     * (the first frame outside the JDK and the assertion libraries). Without the line, a shrink
     * slides from the bug found to whatever other assertion the smallest inputs happen to break.
     */
    static boolean sameWay(Throwable a, Throwable b) {
        return a.getClass() == b.getClass() && Objects.equals(site(a), site(b));
    }

    private static StackTraceElement site(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            String c = frame.getClassName();
            if (!(c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || c.startsWith("org.assertj.")
                    || c.startsWith("org.opentest4j.") || c.startsWith("org.junit."))) {
                return frame;
            }
        }
        return null;
    }

    /** A readable, bounded rendering of an input: strings quoted and escaped, bytes as text with other bytes in hex. */
    static String describe(Object input) {
        if (input instanceof String s) {
            return "\"" + escape(s, SHOWN) + "\"" + (s.length() > SHOWN ? "... (" + s.length() + " chars)" : " (" + s.length() + " chars)");
        }
        if (input instanceof byte[] b) {
            StringBuilder out = new StringBuilder("bytes \"");
            for (int i = 0; i < Math.min(b.length, SHOWN); i++) {
                int v = b[i] & 0xFF;
                if (v >= 0x20 && v < 0x7F && v != '\\' && v != '"') {
                    out.append((char) v);
                } else {
                    out.append(String.format("\\x%02X", v));
                }
            }
            return out.append('"').append(b.length > SHOWN ? "..." : "").append(" (").append(b.length).append(b.length == 1 ? " byte)" : " bytes)").toString();
        }
        return abbreviate(String.valueOf(input));
    }

    private static String abbreviate(String text) {
        return escape(text, SHOWN) + (text.length() > SHOWN ? "... (" + text.length() + " chars)" : "");
    }

    /**
     * The first {@code max} chars of {@code s} with controls, surrogates, format characters
     * (BOM, bidi overrides) and backslashes escaped, so a failure shows exactly what was sent and
     * does not garble the log it lands in.
     */
    static String escape(String s, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), max); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    int type = Character.getType(c);
                    if (type == Character.CONTROL || type == Character.SURROGATE || type == Character.FORMAT
                            || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
