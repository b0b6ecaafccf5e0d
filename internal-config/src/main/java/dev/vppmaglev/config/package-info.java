/**
 * maglevd's configuration: the YAML schema of {@code maglev.yaml} as immutable records, the loader
 * that parses it (SnakeYAML, strict: unknown keys, wrong types and duplicate keys are errors) and
 * the semantic validation that follows.
 *
 * <p>Entry point: {@link dev.vppmaglev.config.ConfigLoader#load}. Every error is a
 * {@link dev.vppmaglev.config.ConfigError} naming file, line, column and the rule broken. Schema,
 * defaults and ranges: {@code ../shared/spec/README.md} "YAML keys" and {@code behaviour.md} §2.
 */
package dev.vppmaglev.config;
