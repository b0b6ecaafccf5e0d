package dev.vppmaglev.config;

/**
 * The {@code params:} block of a health check; which record applies depends on the check's
 * {@link CheckType}.
 */
public sealed interface ProbeParams permits HttpParams, TcpParams, IcmpParams {}
