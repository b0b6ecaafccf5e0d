/** Placeholder. */
package dev.vppmaglev.vpp;
