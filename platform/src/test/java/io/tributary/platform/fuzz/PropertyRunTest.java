package io.tributary.platform.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The runner the fuzz tests rely on must run every try, replay a seed exactly and report a failure so that it can be reproduced. */
class PropertyRunTest {
    private static final Function<RandomGenerator, String> WORDS = Gen.strings(Gen.charOf("abcxyz"), 0, 20);

    private static PropertyRun.Run quiet(String test, long seed) {
        return new PropertyRun.Run(test, "some-module", seed, line -> { });
    }

    @Test
    void runsEveryTryAndLogsTheCountAndSeed() {
        List<String> seen = new ArrayList<>();
        List<String> log = new ArrayList<>();
        PropertyRun.check(new PropertyRun.Run("T#p", "m", 42, log::add), 1_234, WORDS, seen::add);
        assertThat(seen).hasSize(1_234);
        assertThat(log).containsExactly("T#p: 1234 tries, seed 42");
    }

    @Test
    void theSameSeedReplaysTheSameInputsAndAnotherDoesNot() {
        List<String> first = new ArrayList<>();
        List<String> again = new ArrayList<>();
        List<String> other = new ArrayList<>();
        PropertyRun.check(quiet("T#p", 7), 200, WORDS, first::add);
        PropertyRun.check(quiet("T#p", 7), 200, WORDS, again::add);
        PropertyRun.check(quiet("T#p", 8), 200, WORDS, other::add);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void theFirstFailureNamesSeedTryInputCauseAndHowToReproduce() {
        List<String> seen = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        AssertionError error = catchThrowableOfType(AssertionError.class, () -> PropertyRun.check(quiet("SomeFuzzTest#prop", -99), 500, WORDS, s -> {
            seen.add(s);
            if (s.contains("zz")) {
                failed.add(s);
                throw new IllegalStateException("boom on " + s);
            }
        }));
        // the shrink calls the property again; the reported input is the first that failed
        String failing = failed.get(0);
        assertThat(error.getMessage())
                .contains("SomeFuzzTest#prop failed at try " + (seen.indexOf(failing) + 1) + " of 500, run seed -99")
                .contains("input: \"" + failing + "\" (" + failing.length() + " chars)")
                .contains("cause: java.lang.IllegalStateException: boom on " + failing)
                .contains("reproduce: ./mvnw -B -pl some-module -am verify -Dtest='SomeFuzzTest#prop' -Dit.test=NONE -Dapicurio.skipUnpack=true -Dfuzz.seed=-99");
        assertThat(error.getCause()).isInstanceOf(IllegalStateException.class);
        // shrinking keeps only what still fails the same way
        assertThat(error.getMessage()).contains("smallest failing variant found by deleting chunks: \"zz\" (2 chars)");
    }

    @Test
    void aFailingTryAfterAPassingOneIsFoundAgainWithItsSeed() {
        Function<RandomGenerator, Integer> numbers = Gen.ints(0, 1_000_000);
        String first = catchThrowableOfType(AssertionError.class,
                () -> PropertyRun.check(quiet("T#p", 123), 1_000, numbers, n -> assertThat(n % 97).isNotZero())).getMessage();
        String again = catchThrowableOfType(AssertionError.class,
                () -> PropertyRun.check(quiet("T#p", 123), 1_000, numbers, n -> assertThat(n % 97).isNotZero())).getMessage();
        assertThat(again).isEqualTo(first).contains("run seed 123");
    }

    @Test
    void theShrinkKeepsToTheFailureFound() {
        // "b" alone breaks the second assertion; the shrink must not slide from the first one's failure to it
        String message = catchThrowableOfType(AssertionError.class, () -> PropertyRun.check(quiet("T#p", 5), 1, Gen.just("xxaxxb"), s -> {
            assertThat(s).doesNotContain("a");
            assertThat(s).doesNotContain("b");
        })).getMessage();
        assertThat(message).contains("smallest failing variant found by deleting chunks: \"a\" (1 chars)");
    }

    @Test
    void longInputsAreCutAndControlCharactersEscaped() {
        String input = "a\u0000b\n\uD800\u202E\\" + "x".repeat(1_000);
        String shown = PropertyRun.describe(input);
        assertThat(shown).startsWith("\"a\\u0000b\\n\\uD800\\u202E\\\\xxx").endsWith("\"... (1007 chars)");
        assertThat(shown.length()).isLessThan(PropertyRun.SHOWN + 60);
        assertThat(PropertyRun.describe(new byte[] {'{', '"', 0, (byte) 0xC3})).isEqualTo("bytes \"{\\x22\\x00\\xC3\" (4 bytes)");
    }

    @Test
    void theSeedComesFromTheSystemPropertyWhenSet() {
        assertThat(PropertyRun.runSeed("-4051330462083320665")).isEqualTo(-4051330462083320665L);
        assertThat(PropertyRun.runSeed(" 12 ")).isEqualTo(12);
        assertThat(PropertyRun.runSeed(null)).isNotEqualTo(PropertyRun.runSeed(null));
        assertThatThrownBy(() -> PropertyRun.runSeed("abc")).hasMessageContaining("-Dfuzz.seed must be a long");
    }
}
