/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help as {@code station help} and {@code station CMD --help} print it: picocli formats descriptions
 * with {@code String.format}, so a bare percent sign ("1% OVERLOAD") makes it print a warning and the raw text.
 */
@DisplayName("station's help should")
class CommandHelpTest {
    @Test
    void formatEveryCommandsDescription_withoutAWarning() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> helps = new ArrayList<>();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CommandLine root = new CommandLine(new StationCli());
            helps.add(root.getUsageMessage(CommandLine.Help.Ansi.OFF));
            for (CommandLine sub : root.getSubcommands().values()) {
                helps.add(sub.getUsageMessage(CommandLine.Help.Ansi.OFF));
            }
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(String.join("\n", helps)).contains("at most 1% OVERLOAD").doesNotContain("%%");
    }
}
