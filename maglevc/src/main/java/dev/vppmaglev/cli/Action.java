package dev.vppmaglev.cli;

/** What a complete command line does; {@link CommandRunner} runs each one. */
enum Action {
    SHOW_VERSION,
    SHOW_FRONTENDS,
    SHOW_FRONTEND,
    SHOW_BACKENDS,
    SHOW_BACKEND,
    SHOW_HEALTHCHECKS,
    SHOW_HEALTHCHECK,
    SHOW_VPP_INFO,
    SHOW_VPP_LB_STATE,
    SHOW_VPP_LB_COUNTERS,
    SYNC_VPP_LB_STATE,
    BACKEND_PAUSE,
    BACKEND_RESUME,
    BACKEND_ENABLE,
    BACKEND_DISABLE,
    SET_WEIGHT,
    SET_LOG_LEVEL,
    WATCH_EVENTS,
    CONFIG_CHECK,
    CONFIG_RELOAD,
    HELP,
    QUIT
}
