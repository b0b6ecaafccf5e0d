package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.VppException;

import java.util.Objects;

/**
 * An operator-requested sync ran but VPP refused or did not answer some of its calls (or the
 * read-back failed). What did succeed is in {@link #applied()}; the reconciler has already
 * dropped its cache and scheduled a full sync to repair. The cause is the first
 * {@link VppException} (e.g. a {@code VppApiException} with retval -81 VALUE_EXIST).
 */
public final class LbSyncException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient SyncResult applied;
    private final int failures;

    /**
     * @param what     e.g. {@code sync of frontend web}
     * @param applied  the changes that succeeded
     * @param failures how many calls (or reads) failed, at least 1
     * @param first    the first failure
     */
    public LbSyncException(String what, SyncResult applied, int failures, VppException first) {
        super(what + " failed: " + first.getMessage() + (failures > 1 ? " (and " + (failures - 1) + " more)" : "")
                + "; " + applied.total() + " changes applied; a full sync is scheduled", first);
        this.applied = Objects.requireNonNull(applied, "applied");
        this.failures = failures;
    }

    /** The changes that did succeed before/besides the failures. */
    public SyncResult applied() {
        return applied;
    }

    /** Number of failed calls or reads. */
    public int failures() {
        return failures;
    }

    /** The first failure. */
    @Override
    public synchronized VppException getCause() {
        return (VppException) super.getCause();
    }
}
