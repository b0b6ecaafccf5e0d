package dev.vppmaglev.config;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns bytes into text (strict UTF-8) and text into a SnakeYAML node tree, with limits that make
 * hostile input fail fast: a code-point limit, a nesting-depth limit and a cap on aliases to
 * lists and maps ("billion laughs"). Nothing is constructed into Java objects here: the node
 * tree is walked by {@link SchemaReader}, which is why every error keeps its line and column.
 * Every failure becomes a {@link Problems} entry; no exception escapes.
 */
final class YamlSource {
    /** Largest document, in code points (8 Mi: ample for tens of thousands of backends). */
    static final int MAX_CODE_POINTS = 8 * 1024 * 1024;
    /** Largest file read from disk, in bytes (UTF-8 needs at most 4 bytes per code point). */
    static final long MAX_FILE_BYTES = 4L * MAX_CODE_POINTS;
    /** Deepest nesting of lists and maps; the schema itself needs 7. */
    static final int MAX_NESTING_DEPTH = 32;
    /** Most aliases (*name) that point at a list or a map. */
    static final int MAX_ALIASES_FOR_COLLECTIONS = 50;
    /**
     * Longest run of characters without a space, tab or line break. No value of the schema comes
     * near it (text values stop at 4,096 characters), and SnakeYAML's reader scans one long run in
     * time quadratic in its length (a 4 Mi character word took 2 s, 8 Mi would take ~10 s).
     */
    static final int MAX_WORD_LENGTH = 64 * 1024;

    private YamlSource() {}

    /**
     * Decodes UTF-8 strictly (a leading byte-order mark is dropped).
     *
     * @return the text, or {@code null} after recording {@code bad-encoding} at the first bad
     *         byte's line and column
     */
    static String decode(byte[] bytes, Problems problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isUnderflow()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            out.flip();
            String good = out.toString();
            int[] lc = lineColumn(good, good.codePointCount(0, good.length()));
            problems.add(Rule.BAD_ENCODING, lc[0], lc[1], String.format(
                    "invalid UTF-8 at byte offset %d (byte 0x%02x); the file must be UTF-8 text",
                    in.position(), bytes[in.position()] & 0xff));
            return null;
        }
        out.flip();
        return out.toString();
    }

    /**
     * Composes the single YAML document in {@code text}.
     *
     * @return the root node; {@code null} when the document is empty (only comments or blank)
     *         or after recording an error (check {@link Problems#hasParseErrors()})
     */
    static Node compose(String text, Problems problems) {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (text.length() > MAX_CODE_POINTS
                && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            problems.add(Rule.YAML_LIMIT, 0, 0, "document has more than " + MAX_CODE_POINTS
                    + " characters; a maglev config is far smaller (is this the right file?)");
            return null;
        }
        int word = longWord(text);
        if (word >= 0) {
            int[] lc = lineColumn(text, text.codePointCount(0, word));
            problems.add(Rule.YAML_LIMIT, lc[0], lc[1], "a word of more than " + MAX_WORD_LENGTH
                    + " characters without a space or line break; no value is that long (is this the right file?)");
            return null;
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        MarkingParser parser = new MarkingParser(
                new ParserImpl(new StreamReader(new StringReader(text)), options));
        try {
            return new Composer(parser, new Resolver(), options).getSingleNode();
        } catch (ReaderException e) {
            int[] lc = lineColumn(text, e.getPosition());
            problems.add(Rule.YAML_SYNTAX, lc[0], lc[1], String.format(
                    "character U+%04X is not allowed in YAML (is this a binary file?)",
                    e.getCodePoint()));
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(Rule.YAML_SYNTAX, at, syntaxMessage(e));
        } catch (YAMLException e) {
            // The composer's limits carry no mark; the event it was looking at is the culprit.
            problems.add(Rule.YAML_LIMIT, parser.lastMark, limitMessage(e));
        } catch (RuntimeException | StackOverflowError e) {
            problems.add(Rule.YAML_SYNTAX, 0, 0, "cannot parse the YAML: " + e);
        }
        return null;
    }

    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem().strip();
        String context = e.getContext();
        if (context == null || context.isBlank()) {
            return problem;
        }
        if (problem.startsWith("but ")) { // "expected a single document ..., but found another"
            return context.strip() + ", " + problem;
        }
        Mark ctx = e.getContextMark();
        String where = ctx == null ? "" : " at line " + (ctx.getLine() + 1) + ", column "
                + (ctx.getColumn() + 1);
        return problem + " (" + context.strip() + where + ")";
    }

    private static String limitMessage(YAMLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("aliases")) {
            return "more than " + MAX_ALIASES_FOR_COLLECTIONS + " aliases to lists or maps"
                    + " (an alias bomb?); write the values out";
        }
        if (m.contains("Nesting Depth") || m.contains("depth")) {
            return "lists and maps nested deeper than " + MAX_NESTING_DEPTH + " levels";
        }
        if (m.contains("code points")) {
            return "document has more than " + MAX_CODE_POINTS + " characters";
        }
        return "cannot parse the YAML: " + m;
    }

    /** A parser that remembers the start of the last event handed to the composer. */
    private static final class MarkingParser implements Parser {
        private final Parser delegate;
        Mark lastMark;

        MarkingParser(Parser delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return delegate.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return remember(delegate.peekEvent());
        }

        @Override
        public Event getEvent() {
            return remember(delegate.getEvent());
        }

        private Event remember(Event e) {
            if (e != null && e.getStartMark() != null) {
                lastMark = e.getStartMark();
            }
            return e;
        }
    }

    /**
     * Where the first word longer than {@link #MAX_WORD_LENGTH} chars starts, or -1. A word is a
     * run without a space, tab or line break; a run of nothing but flow indicators ({@code [ ] {
     * } ,}) is not one (the scanner takes those one at a time; deep nesting is its own limit).
     */
    private static int longWord(String text) {
        int run = 0;
        boolean word = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                run = 0;
                word = false;
                continue;
            }
            run++;
            word |= "[]{},".indexOf(c) < 0;
            if (word && run > MAX_WORD_LENGTH) {
                return i - run + 1;
            }
        }
        return -1;
    }

    /** 1-based line and column of the code point at {@code index} in {@code text}. */
    static int[] lineColumn(String text, int index) {
        int line = 1;
        int column = 1;
        int cp = 0;
        for (int i = 0; i < text.length() && cp < index; cp++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n' || (c == '\r' && (i >= text.length() || text.charAt(i) != '\n'))) {
                line++;
                column = 1;
            } else if (c != '\r') {
                column++;
            }
        }
        return new int[] {line, column};
    }
}
