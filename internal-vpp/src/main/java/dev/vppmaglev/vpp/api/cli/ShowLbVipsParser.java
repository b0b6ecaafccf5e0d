package dev.vppmaglev.vpp.api.cli;

import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.VppProtocolException;
import dev.vppmaglev.vpp.api.msg.Prefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text of {@code show lb vips verbose} (VPP src/plugins/lb/lb.c
 * {@code format_lb_vip_detailed}; vpp-wire.md §5.3) into {@link CliVip}s. Accepts LF (from
 * {@code cli_inband}) and CRLF (from the CLI socket). Checked against every
 * {@code testdata/golden/cli/show-lb-vips-verbose-*.txt}.
 *
 * <p>Two modes: {@link #parseVerbose} (strict: the first line that does not fit throws) and
 * {@link #parseVerboseBestEffort} (a block that does not fit is skipped and reported: for callers
 * that must go on when a newer VPP prints something new).
 *
 * <p>Quirks handled: the first line of a block starts with one space; the NAT line has no line
 * end, so {@code  counters:} follows on the same line; a removed AS ends {@code dpo:<n>  removed}
 * (two spaces); blocks end with an empty line.
 */
public final class ShowLbVipsParser {
    private static final Pattern HEAD = Pattern.compile("^ (\\S+) \\[(\\d+)\\] (\\S+)( src_ip_sticky)?( removed)?$");
    private static final Pattern NEW_SIZE = Pattern.compile("^  new_size:(\\d+)$");
    private static final Pattern PROTO = Pattern.compile("^  protocol:(\\d+) port:(\\d+)$");
    private static final Pattern DSCP = Pattern.compile("^  dscp:(\\d+)$");
    private static final Pattern NAT = Pattern.compile("^  type:(\\S+) port:(\\d+) target_port:(\\d+)  counters:$");
    private static final Pattern COUNTERS = Pattern.compile("^  counters:$");
    private static final String[] COUNTER_NAMES = {
        "packet from existing sessions", "first session packet", "untracked packet", "no server configured"};
    private static final Pattern N_AS = Pattern.compile("^  #as:(\\d+)$");
    private static final Pattern AS = Pattern.compile(
            "^    (\\S+) weight:(\\d+) buckets:(\\d+) flows:(\\d+) dpo:(\\d+) (used| removed)$");

    private ShowLbVipsParser() {}

    /**
     * What {@link #parseVerboseBestEffort} made of a text.
     *
     * @param vips   the blocks that parsed, in output order
     * @param errors one per block that did not (each names its line); empty when the whole text
     *               parsed
     */
    public record BestEffort(List<CliVip> vips, List<VppProtocolException> errors) {
        public BestEffort {
            vips = List.copyOf(vips);
            errors = List.copyOf(errors);
        }
    }

    /**
     * The strict parse: every block must fit.
     *
     * @param text the whole command output
     * @return the VIPs in output order (VPP's pool order)
     * @throws VppProtocolException naming the first line that does not fit the format
     */
    public static List<CliVip> parseVerbose(String text) {
        Cursor c = cursor(text);
        List<CliVip> out = new ArrayList<>();
        while (c.skipBlank()) {
            out.add(parseBlock(c));
        }
        return out;
    }

    /**
     * The parse for callers that can do without some VIPs' CLI facts (the reconciler, the
     * counters loop): a block that does not fit the format (a new VIP flag, a new line, format
     * drift of a newer VPP) is skipped up to the empty line that ends it, and the next block is
     * parsed. A skipped VIP is simply not in {@link BestEffort#vips()}: its {@code src_ip_sticky},
     * lb index and flow counts are unknown. Never throws on the text's content.
     *
     * @param text the whole command output
     */
    public static BestEffort parseVerboseBestEffort(String text) {
        Cursor c = cursor(text);
        List<CliVip> out = new ArrayList<>();
        List<VppProtocolException> errors = new ArrayList<>();
        while (c.skipBlank()) {
            try {
                out.add(parseBlock(c));
            } catch (VppProtocolException e) {
                errors.add(e);
                c.skipToBlank();
            }
        }
        return new BestEffort(out, errors);
    }

    private static Cursor cursor(String text) {
        return new Cursor(text.replace("\r\n", "\n").split("\n", -1));
    }

    private static CliVip parseBlock(Cursor c) {
        try {
            return parseBlockUnchecked(c);
        } catch (NumberFormatException e) { // a count or index that overflows an int
            throw c.error("a number that fits", e);
        }
    }

    private static CliVip parseBlockUnchecked(Cursor c) {
        Matcher h = c.expect(HEAD, "' <type> [<index>] <prefix>[ src_ip_sticky][ removed]'");
        String type = h.group(1);
        int index = Integer.parseInt(h.group(2));
        Prefix prefix;
        try {
            prefix = Prefix.parse(h.group(3));
        } catch (IllegalArgumentException e) {
            throw c.error("a VIP prefix", e);
        }
        boolean sticky = h.group(4) != null;
        boolean removed = h.group(5) != null;
        int newSize = Integer.parseInt(c.expect(NEW_SIZE, "'  new_size:<n>'").group(1));
        int protocol = 255;
        int port = 0;
        Matcher m = c.optional(PROTO);
        if (m != null) {
            protocol = Integer.parseInt(m.group(1));
            port = Integer.parseInt(m.group(2));
        }
        OptionalInt dscp = OptionalInt.empty();
        m = c.optional(DSCP);
        if (m != null) {
            dscp = OptionalInt.of(Integer.parseInt(m.group(1)));
        }
        Optional<CliNat> nat = Optional.empty();
        m = c.optional(NAT);
        if (m != null) {
            nat = Optional.of(new CliNat(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        } else {
            c.expect(COUNTERS, "'  counters:'");
        }
        long[] counters = new long[COUNTER_NAMES.length];
        for (int i = 0; i < COUNTER_NAMES.length; i++) {
            String line = c.next("'    " + COUNTER_NAMES[i] + ": <n>'");
            String lead = "    " + COUNTER_NAMES[i] + ": ";
            if (!line.startsWith(lead)) {
                throw c.error("'" + lead + "<n>'", null);
            }
            try {
                counters[i] = Long.parseUnsignedLong(line.substring(lead.length()));
            } catch (NumberFormatException e) {
                throw c.error("a counter value", e);
            }
        }
        int nAs = Integer.parseInt(c.expect(N_AS, "'  #as:<n>'").group(1));
        List<CliAs> ases = new ArrayList<>(nAs);
        for (int i = 0; i < nAs; i++) {
            Matcher a = c.expect(AS, "'    <address> weight:<w> buckets:<n> flows:<n> dpo:<n> used|removed'");
            try {
                ases.add(new CliAs(IpFormat.parse(a.group(1)), Integer.parseInt(a.group(2)),
                        Integer.parseInt(a.group(3)), Long.parseLong(a.group(4)), Integer.parseInt(a.group(5)),
                        a.group(6).equals("used")));
            } catch (IllegalArgumentException e) {
                throw c.error("an AS address", e);
            }
        }
        if (c.hasNext() && !c.peek().isEmpty()) {
            c.next("an empty line");
            throw c.error("an empty line after " + nAs + " AS lines (#as:" + nAs + ")", null);
        }
        return new CliVip(type, index, prefix, sticky, removed, newSize, protocol, port, dscp, nat,
                new CliVipCounters(counters[0], counters[1], counters[2], counters[3]), ases);
    }

    private static final class Cursor {
        private final String[] lines;
        private int i;
        private int last;

        Cursor(String[] lines) {
            this.lines = lines;
        }

        boolean hasNext() {
            return i < lines.length;
        }

        String peek() {
            return lines[i];
        }

        /** Skips the rest of a block: up to (not past) the next empty line. */
        void skipToBlank() {
            while (i < lines.length && !lines[i].isEmpty()) {
                i++;
            }
        }

        /** Skips empty lines; true when a non-empty line follows. */
        boolean skipBlank() {
            while (i < lines.length && lines[i].isEmpty()) {
                i++;
            }
            return i < lines.length;
        }

        String next(String expected) {
            if (i >= lines.length) {
                throw new VppProtocolException("show lb vips verbose: expected " + expected + " after line " + i
                        + ", got end of text");
            }
            last = i;
            return lines[i++];
        }

        Matcher expect(Pattern p, String expected) {
            Matcher m = p.matcher(next(expected));
            if (!m.matches()) {
                throw error(expected, null);
            }
            return m;
        }

        Matcher optional(Pattern p) {
            if (i < lines.length) {
                Matcher m = p.matcher(lines[i]);
                if (m.matches()) {
                    i++;
                    return m;
                }
            }
            return null;
        }

        VppProtocolException error(String expected, Throwable cause) {
            int line = last;
            return new VppProtocolException("show lb vips verbose, line " + (line + 1) + ": expected " + expected
                    + ", got '" + lines[line] + "'", cause);
        }
    }
}
