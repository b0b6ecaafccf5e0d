/** Placeholder. */
package dev.vppmaglev.config;
