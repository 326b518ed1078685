/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import java.util.Optional;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Passes SnakeYAML's parser events to its composer and stops the document at {@link YamlLimits#MAX_DEPTH} and
 * {@link YamlLimits#MAX_LINE_CHARS}. The composer recurses once per nesting level, so counting the start events it
 * consumes bounds its stack before it overflows (20,000 nested brackets overflowed it). Remembers the line of the
 * last event, for the composer's errors that carry none.
 */
final class LimitedParser implements Parser {
    private final Parser delegate;
    private int depth;
    private int line;
    private int nodes;

    LimitedParser(Parser delegate) {
        this.delegate = delegate;
    }

    /** Scalars, lists, mappings and aliases handed on so far. */
    int nodes() {
        return nodes;
    }

    /** 1-based line of the last event handed on, 0 before the first. */
    int line() {
        return line;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        return delegate.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
        return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext();
    }

    @Override
    public Event next() {
        Event event = delegate.next();
        Optional<Mark> mark = event.getStartMark();
        if (mark.isPresent()) {
            line = mark.get().getLine() + 1;
        }
        switch (event.getEventId()) {
            case SequenceStart, MappingStart -> {
                nodes++;
                if (++depth > YamlLimits.MAX_DEPTH) {
                    throw new YamlLimitException(line, "nests lists and mappings more than " + YamlLimits.MAX_DEPTH
                            + " levels deep");
                }
            }
            case SequenceEnd, MappingEnd -> depth--;
            case Scalar -> {
                nodes++;
                int length = ((ScalarEvent) event).getValue().length();
                if (length > YamlLimits.MAX_LINE_CHARS) {
                    throw new YamlLimitException(line, "has a value of " + length + " characters; a value may have at most "
                            + YamlLimits.MAX_LINE_CHARS);
                }
            }
            case Alias -> nodes++; // the composer limits aliases to collections
            default -> {
                // document and stream boundaries, comments
            }
        }
        return event;
    }
}
