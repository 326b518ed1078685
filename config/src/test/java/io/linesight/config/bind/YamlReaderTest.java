/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class YamlReaderTest {
    record Named(String name) {
    }

    /**
     * A character outside the Basic Multilingual Plane (an emoji in a comment, a rare CJK ideograph) takes two UTF-16
     * chars. Wherever it falls, including across the YAML library's 1,024-char read chunks, the file reads as written.
     */
    @ParameterizedTest
    @ValueSource(ints = {1021, 1022, 1023, 1024, 1025, 2048, 2049, 2050})
    void aCharacterOfTwoUtf16Units_readsWhereverItFalls(int at) throws Exception {
        String comment = "# " + "a".repeat(at - 2); // the emoji's first char lands at index `at`
        String yaml = comment + "\uD83D\uDE00 note\nname: \"\uD83D\uDE00 \uD842\uDFB7\"\n";
        assertThat(YamlBinder.bind("t.yaml", yaml, Named.class).value().name()).isEqualTo("\uD83D\uDE00 \uD842\uDFB7");
    }

    @Test
    void manyCharactersOfTwoUnits_inARow_read() throws Exception {
        String name = "\uD83D\uDE00".repeat(1500);
        assertThat(YamlBinder.bind("t.yaml", "name: " + name + "\n", Named.class).value().name()).isEqualTo(name);
    }
}
