/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

/**
 * One HMI user as stored: name, role and the PBKDF2 hash of the PIN with its own salt (both Base64).
 *
 * @param iterations PBKDF2 iterations the hash was made with (kept per user so the count can grow later)
 */
public record User(String name, Role role, String salt, String hash, int iterations) {
}
