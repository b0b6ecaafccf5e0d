package dev.vppmaglev.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code params:} of an http or https check.
 *
 * @param path               request path (default {@code /})
 * @param host               Host header; empty = the backend's address (default)
 * @param method             {@code GET} or {@code HEAD} (default GET)
 * @param expectStatus       accepted status codes (default 200-399)
 * @param expectBody         regular expression searched in the first 64 KiB of the body; empty =
 *                           no body check
 * @param serverName         https: TLS SNI and the name verified in the certificate; empty = host,
 *                           or no SNI when that is empty too
 * @param insecureSkipVerify https: accept any certificate (default false)
 */
public record HttpParams(
        String path,
        String host,
        String method,
        List<StatusRange> expectStatus,
        String expectBody,
        String serverName,
        boolean insecureSkipVerify) implements ProbeParams {

    public static final String DEFAULT_PATH = "/";
    public static final List<StatusRange> DEFAULT_EXPECT_STATUS = List.of(new StatusRange(200, 399));
    /** How much of the body {@code expect-body} is searched in, in bytes. */
    public static final int BODY_LIMIT_BYTES = 64 * 1024;

    public static final HttpParams DEFAULTS =
            new HttpParams(DEFAULT_PATH, "", "GET", DEFAULT_EXPECT_STATUS, "", "", false);

    public HttpParams {
        Objects.requireNonNull(path, "path");
        host = host == null ? "" : host;
        Objects.requireNonNull(method, "method");
        expectStatus = List.copyOf(expectStatus);
        expectBody = expectBody == null ? "" : expectBody;
        serverName = serverName == null ? "" : serverName;
    }

    /** Whether {@code status} is in one of the {@link #expectStatus} ranges. */
    public boolean statusExpected(int status) {
        for (StatusRange r : expectStatus) {
            if (r.contains(status)) {
                return true;
            }
        }
        return false;
    }
}
