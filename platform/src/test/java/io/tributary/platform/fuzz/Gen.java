package io.tributary.platform.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The few generator combinators the fuzz tests need. A generator is a plain
 * {@code Function<RandomGenerator, T>}: {@link PropertyRun} hands each try its own seeded random,
 * so whatever a generator draws is reproduced from the seed. Bounds are inclusive. Numbers and
 * lengths hit their bounds more often than a uniform draw would, because that is where parsers
 * break (empty input, the longest string, the deepest nesting).
 */
public final class Gen {
    /** One in EDGE draws of a bounded number is its lower bound, one in EDGE its upper bound. */
    private static final int EDGE = 16;

    private Gen() {
    }

    /** A generator and how often {@link #frequency} picks it relative to the others. */
    public record Weighted<T>(int weight, Function<RandomGenerator, ? extends T> gen) {
        public Weighted {
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1: " + weight);
            }
        }
    }

    public static <T> Weighted<T> weighted(int weight, Function<RandomGenerator, ? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** Picks one of the generators with probability proportional to its weight, then draws from it. */
    @SafeVarargs
    public static <T> Function<RandomGenerator, T> frequency(Weighted<T>... choices) {
        List<Weighted<T>> all = List.of(choices);
        int total = all.stream().mapToInt(Weighted::weight).sum();
        return random -> {
            int pick = random.nextInt(total);
            for (Weighted<T> choice : all) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.gen().apply(random);
                }
            }
            throw new IllegalStateException("weights changed under the draw");
        };
    }

    /** Picks one of the generators, all equally likely, then draws from it. */
    @SafeVarargs
    public static <T> Function<RandomGenerator, T> oneOf(Function<RandomGenerator, ? extends T>... gens) {
        List<Function<RandomGenerator, ? extends T>> all = List.of(gens);
        return random -> all.get(random.nextInt(all.size())).apply(random);
    }

    @SafeVarargs
    public static <T> Function<RandomGenerator, T> elementOf(T... values) {
        return elementOf(List.of(values));
    }

    public static <T> Function<RandomGenerator, T> elementOf(List<T> values) {
        List<T> all = List.copyOf(values);
        return random -> all.get(random.nextInt(all.size()));
    }

    public static <T> Function<RandomGenerator, T> just(T value) {
        return random -> value;
    }

    public static Function<RandomGenerator, Integer> ints(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException(min + " > " + max);
        }
        return random -> {
            int edge = random.nextInt(EDGE);
            return edge == 0 ? min : edge == 1 ? max : random.nextInt(min, max + 1);
        };
    }

    /** A double in [0, 1], both ends included (a uniform draw never gives 1). */
    public static Function<RandomGenerator, Double> unitInterval() {
        return random -> {
            int edge = random.nextInt(EDGE);
            return edge == 0 ? 0.0 : edge == 1 ? 1.0 : random.nextDouble();
        };
    }

    public static Function<RandomGenerator, Boolean> booleans() {
        return RandomGenerator::nextBoolean;
    }

    /**
     * A length in [min, max], biased to short ones: half the draws are uniform, the other half draw
     * a bound first and the length below it, so most inputs are small (fast, readable failures)
     * while long ones and both bounds still come up.
     */
    static int length(RandomGenerator random, int min, int max) {
        if (min == max) {
            return min;
        }
        int span = max - min + 1;
        return switch (random.nextInt(EDGE)) {
            case 0 -> max;
            case 1, 2, 3, 4, 5, 6, 7, 8 -> min + random.nextInt(span);
            default -> min + random.nextInt(random.nextInt(span) + 1);
        };
    }

    /**
     * Any UTF-16 code unit, lone surrogates included. A uniform draw over all 65,536 would almost
     * never give the ASCII punctuation, controls and surrogates the parsers treat specially, so
     * those ranges are drawn from on purpose, as often as the rest together.
     */
    public static Function<RandomGenerator, Character> anyChar() {
        return random -> (char) switch (random.nextInt(8)) {
            case 0 -> random.nextBoolean() ? random.nextInt(0x20) : random.nextInt(0x7F, 0xA0);
            case 1, 2 -> random.nextInt(0x20, 0x7F);
            case 3 -> random.nextInt(Character.MIN_SURROGATE, Character.MAX_SURROGATE + 1);
            default -> random.nextInt(Character.MAX_VALUE + 1);
        };
    }

    /** One of the characters of {@code chars}, all equally likely. */
    public static Function<RandomGenerator, Character> charOf(String chars) {
        if (chars.isEmpty()) {
            throw new IllegalArgumentException("no characters to draw from");
        }
        return random -> chars.charAt(random.nextInt(chars.length()));
    }

    public static Function<RandomGenerator, String> strings(Function<RandomGenerator, Character> chars, int minLength, int maxLength) {
        return random -> {
            int length = length(random, minLength, maxLength);
            StringBuilder s = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                s.append(chars.apply(random).charValue());
            }
            return s.toString();
        };
    }

    public static <T> Function<RandomGenerator, List<T>> listOf(Function<RandomGenerator, ? extends T> element, int minSize, int maxSize) {
        return random -> {
            int size = length(random, minSize, maxSize);
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(element.apply(random));
            }
            return list;
        };
    }

    /**
     * Bytes that mean something to a text or JSON reader: NUL (a UTF-16/32 hint to encoding
     * detection), whitespace and line ends, JSON punctuation, and the bytes around the ASCII and
     * UTF-8 boundaries. A uniform byte is NUL or a newline once in 256 draws.
     */
    private static final byte[] SPECIAL_BYTES = {0, 1, '\t', '\n', '\r', ' ', '"', ',', ':', '[', ']', '{', '}', '\\',
            0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC3, (byte) 0xEF, (byte) 0xF4, (byte) 0xFE, (byte) 0xFF};

    /** Any bytes: each a uniform draw, or one time in four one of the bytes readers treat specially. */
    public static Function<RandomGenerator, byte[]> bytes(int maxSize) {
        return random -> {
            byte[] b = new byte[length(random, 0, maxSize)];
            random.nextBytes(b);
            for (int i = 0; i < b.length; i++) {
                if (random.nextInt(4) == 0) {
                    b[i] = SPECIAL_BYTES[random.nextInt(SPECIAL_BYTES.length)];
                }
            }
            return b;
        };
    }
}
