package io.tributary.platform.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The generators really produce the kinds of input the fuzz tests count on; a generator that went narrow would pass every property. */
class FuzzInputsTest {
    private static List<String> draw(Function<RandomGenerator, String> gen, int n) {
        SplittableRandom random = new SplittableRandom(2024);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(gen.apply(random));
        }
        return out;
    }

    @Test
    void anyTextMixesShortLongNastyControlAndSurrogateText() {
        List<String> texts = draw(FuzzInputs.anyText(), 2_000);
        assertThat(texts).contains("").anyMatch(FuzzInputs.NASTY::contains)
                .anyMatch(s -> s.chars().anyMatch(c -> c < 0x20))
                .anyMatch(s -> s.chars().anyMatch(c -> Character.isSurrogate((char) c)))
                .anyMatch(s -> s.chars().anyMatch(c -> c > 0x3000))
                .anyMatch(s -> s.contains("{") && s.contains(":"))
                .anyMatch(s -> s.length() >= 200)
                .allMatch(s -> s.length() <= 2_000);
        long nasty = texts.stream().filter(FuzzInputs.NASTY::contains).count();
        // weight 2 of 9 (444 expected), plus the short random strings that happen to be one ("", " ", "[", ...)
        assertThat(nasty).isBetween(350L, 650L);
        assertThat(texts.stream().filter(s -> s.length() >= 200).count()).isBetween(130L, 330L);
    }

    @Test
    void mutatedEditsTheValidInputAFewTimes() {
        String valid = "{\"name\": \"VIP\", \"rank\": 3}";
        List<String> mutants = draw(FuzzInputs.mutated(Gen.just(valid)), 1_000);
        assertThat(mutants.stream().filter(valid::equals).count()).isLessThan(100);
        assertThat(mutants).anyMatch(s -> s.length() < valid.length()).anyMatch(s -> s.length() > valid.length())
                .anyMatch(s -> s.startsWith(valid.substring(0, 10)))
                .anyMatch(s -> FuzzInputs.NASTY.stream().anyMatch(n -> n.length() > 3 && s.contains(n)));
    }

    @Test
    void boundedNumbersAndLengthsReachBothBounds() {
        SplittableRandom random = new SplittableRandom(1);
        Function<RandomGenerator, Integer> ints = Gen.ints(1, 3_000);
        Function<RandomGenerator, List<Integer>> lists = Gen.listOf(ints, 1, 8);
        List<Integer> numbers = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            numbers.add(ints.apply(random));
            sizes.add(lists.apply(random).size());
        }
        assertThat(numbers).contains(1, 3_000).allMatch(n -> n >= 1 && n <= 3_000);
        assertThat(sizes).contains(1, 8).allMatch(n -> n >= 1 && n <= 8);
        assertThat(Gen.strings(Gen.charOf("ab"), 3, 3).apply(random)).hasSize(3).matches("[ab]{3}");
    }

    @Test
    void frequencyFollowsTheWeights() {
        Function<RandomGenerator, String> gen = Gen.frequency(Gen.weighted(3, Gen.just("a")), Gen.weighted(1, Gen.just("b")));
        long as = draw(gen, 4_000).stream().filter("a"::equals).count();
        assertThat(as).isBetween(2_850L, 3_150L);
    }
}
