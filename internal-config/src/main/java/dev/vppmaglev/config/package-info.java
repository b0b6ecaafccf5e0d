/**
 * maglevd's configuration: the YAML schema of {@code maglev.yaml} as immutable records, the loader
 * that parses it (SnakeYAML node tree walked by hand, strict: unknown keys, wrong types, duplicate
 * keys, YAML 1.1 booleans and unit-less durations are errors) and the semantic validation that
 * follows.
 *
 * <p>Entry points: {@link dev.vppmaglev.config.ConfigLoader#load} and
 * {@link dev.vppmaglev.config.ConfigLoader#parse}; {@link dev.vppmaglev.config.GoDuration} to
 * parse and print Go-style durations ({@code 2s}, {@code 250ms}). Every error is a
 * {@link dev.vppmaglev.config.ConfigError} naming file, line, column and the rule broken. Schema,
 * defaults, ranges and the table of rules: {@code docs/config-guide.md} (spec: README "YAML keys
 * the reference left open" and behaviour.md §2).
 */
package dev.vppmaglev.config;
