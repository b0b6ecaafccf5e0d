/** Placeholder. */
package dev.vppmaglev.health;
