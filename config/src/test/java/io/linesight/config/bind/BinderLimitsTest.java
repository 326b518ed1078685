/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits that only aliases can reach: the recipe and station records have no type that contains itself. */
class BinderLimitsTest {
    /** A record that contains itself, as any future config type might. */
    record Tree(String name, List<Tree> children) {
    }

    @Test
    void anAliasBomb_isCutAtTheValueLimit() {
        StringBuilder yaml = new StringBuilder("name: root\nchildren:\n  - &t0 {name: leaf}\n");
        for (int i = 1; i <= 24; i++) {
            yaml.append("  - &t").append(i).append(" {name: n").append(i).append(", children: [*t").append(i - 1)
                    .append(", *t").append(i - 1).append("]}\n");
        }
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlBinder.bind("t.yaml", yaml.toString(), Tree.class));
        assertThat(e.errors()).singleElement().extracting(ConfigError::reason)
                .isEqualTo("expands through aliases to more than 32 values per node of the document");
    }

    @Test
    void anAliasToWhatContainsIt_isCutAtTheDepthLimit() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> YamlBinder.bind("t.yaml", "&t {name: loop, children: [*t]}\n", Tree.class));
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.line()).isEqualTo(1);
            assertThat(err.reason()).startsWith("nests lists and mappings more than 64 levels deep");
        });
    }

    @Test
    void sixtyFourLevels_areAllowed() throws Exception {
        // 32 trees, each a mapping holding a list: 64 levels
        String yaml = "{name: a, children: [".repeat(32) + "]}".repeat(32);
        assertThat(YamlBinder.bind("t.yaml", yaml, Tree.class).value().name()).isEqualTo("a");
    }

    @Test
    void aValueBesideAnAlias_keepsItsLine() throws Exception {
        Tree t = YamlBinder.bind("t.yaml", "name: a\nchildren:\n  - &c {name: c}\n  - *c\n", Tree.class).value();
        assertThat(t.children()).hasSize(2).allMatch(c -> c.name().equals("c"));
    }
}
