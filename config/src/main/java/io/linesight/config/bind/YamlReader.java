/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.LoadSettingsBuilder;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads one YAML document into SnakeYAML Engine's node tree (which keeps line numbers), within {@link YamlLimits}.
 * Whatever is wrong with the file, its bytes or its syntax becomes one {@link ConfigError} with the file and, where
 * there is one, the line; nothing else leaves these methods.
 *
 * <p>Order of the checks: the file's size before reading it; strict UTF-8 (the error names line and byte offset);
 * line length and control characters in one pass over the text; then the parser, with nesting depth and value length
 * limited as it goes. Stateless and thread-safe.
 */
public final class YamlReader {
    private static final String HOW_TO_SAVE = "; save the file as UTF-8";

    private YamlReader() {
    }

    /** The bytes of a regular file of at most {@link YamlLimits#MAX_BYTES}, read without parsing anything. */
    public static byte[] readFile(Path file, String label) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            throw error(label, 0, Files.exists(file) ? "is not a regular file" : "does not exist");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // Read one byte past the limit: the size on disk may change, and /proc-like files report 0.
            bytes = in.readNBytes(YamlLimits.MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw error(label, 0, "does not exist");
        } catch (AccessDeniedException e) {
            throw error(label, 0, "cannot be read: permission denied");
        } catch (IOException e) {
            throw error(label, 0, "cannot be read: " + e.getMessage());
        }
        if (bytes.length > YamlLimits.MAX_BYTES) {
            long size = bytes.length;
            try {
                size = Math.max(size, Files.size(file));
            } catch (IOException e) {
                // the size is only shown; what was read already proves the file too large
            }
            throw tooLarge(label, lineAt(bytes, YamlLimits.MAX_BYTES), size + " bytes");
        }
        return bytes;
    }

    /** The bytes as text; anything but well-formed UTF-8 is an error naming line and byte offset. */
    public static String decode(String label, byte[] bytes) throws ConfigException {
        if (bytes.length > YamlLimits.MAX_BYTES) {
            throw tooLarge(label, lineAt(bytes, YamlLimits.MAX_BYTES), bytes.length + " bytes");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int line = lineAt(bytes, offset);
            int lineStart = offset;
            while (lineStart > 0 && bytes[lineStart - 1] != '\n') {
                lineStart--;
            }
            throw error(label, line, String.format(Locale.ROOT,
                    "is not valid UTF-8: byte 0x%02x at byte offset %d (column %d) does not start or continue a character"
                            + HOW_TO_SAVE, bytes[offset] & 0xff, offset, offset - lineStart + 1));
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * One YAML document as SnakeYAML's node tree.
     *
     * @param root  the root node; read-only (an alias is the same node object in two places)
     * @param nodes how many nodes the text holds, an alias counting as one
     */
    public record Document(Node root, int nodes) {
    }

    /**
     * SnakeYAML settings that hand it {@code text} in one read. Its reader fails (IndexOutOfBoundsException) on a valid
     * text when a read of its chunk size ends on the first half of a surrogate pair (an emoji at char 1,024 of a
     * comment, say); a buffer as long as the text leaves no chunk end inside it.
     */
    public static LoadSettingsBuilder wholeText(String label, String text) {
        return LoadSettings.builder().setLabel(label).setBufferSize(text.length() + 1);
    }

    /**
     * The single document of {@code text}, or null when the text holds no document (empty, or only comments).
     */
    public static @Nullable Document compose(String label, String text) throws ConfigException {
        if (text.length() > YamlLimits.MAX_BYTES) {
            throw tooLarge(label, lineAt(text, YamlLimits.MAX_BYTES), text.length() + " characters");
        }
        checkCharacters(label, text);
        LoadSettings settings = wholeText(label, text)
                .setMaxAliasesForCollections(YamlLimits.MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(YamlLimits.MAX_BYTES + 1)
                .build();
        LimitedParser parser = new LimitedParser(new ParserImpl(settings, new StreamReader(settings, text)));
        try {
            Node root = new Composer(settings, parser).getSingleNode().orElse(null);
            return root == null ? null : new Document(root, parser.nodes());
        } catch (YamlLimitException e) {
            throw error(label, e.line(), String.valueOf(e.getMessage()));
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(parser.line());
            throw error(label, line, "is not valid YAML: " + e.getProblem());
        } catch (IllegalArgumentException e) {
            // the YAML library's own checks outside its marked errors (a tag with spaces around it, for one)
            throw error(label, parser.line(), "is not valid YAML: " + e.getMessage());
        } catch (ReaderException e) {
            int at = Math.min(text.length(), text.offsetByCodePoints(0, Math.min(e.getPosition(),
                    text.codePointCount(0, text.length()))));
            throw error(label, lineAt(text, at), String.format(Locale.ROOT,
                    "is not valid YAML: character U+%04X is not allowed in YAML", e.getCodePoint()));
        } catch (YamlEngineException e) {
            // e.g. too many aliases: SnakeYAML gives no position, the last event read is where it stopped
            throw error(label, parser.line(), "is not valid YAML: " + e.getMessage());
        } catch (StackOverflowError e) {
            // Not reached within MAX_DEPTH on the default stack; kept so that a small thread stack still gets an answer.
            throw error(label, parser.line(), "nests too deeply to be read");
        }
    }

    /** Line length and control characters, in one pass, before the parser sees the text. */
    private static void checkCharacters(String label, String text) throws ConfigException {
        int line = 1;
        int column = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                column = 0;
                continue;
            }
            column++;
            if (column > YamlLimits.MAX_LINE_CHARS) {
                throw error(label, line, "has a line longer than " + YamlLimits.MAX_LINE_CHARS + " characters");
            }
            if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
                throw error(label, line, String.format(Locale.ROOT,
                        "contains the control character U+%04X at column %d; NUL and other control characters are not "
                                + "allowed", (int) c, column));
            }
        }
    }

    private static ConfigException tooLarge(String label, int line, String size) {
        return error(label, line, "is larger than 1 MiB (" + size + ", passing the limit on this line); a station or "
                + "recipe file may have at most " + YamlLimits.MAX_BYTES + " bytes");
    }

    /** 1-based line of byte {@code offset}. */
    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int lineAt(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    static ConfigException error(String label, int line, String reason) {
        return new ConfigException(List.of(new ConfigError(label, line, "", null, reason)));
    }
}
