/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Salted PBKDF2-HMAC-SHA256 hashes of PINs; a stolen users file does not give the PINs away cheaply. */
public final class PinHasher {
    /** OWASP's 2023 advice for PBKDF2-HMAC-SHA256 is 600k; 210k keeps a login under ~0.3 s on a panel PC. */
    public static final int ITERATIONS = 210_000;
    private static final int KEY_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PinHasher() {
    }

    public static byte[] newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }

    public static byte[] hash(char[] pin, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(pin, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Constant-time comparison, so the time taken says nothing about how much of the PIN was right. */
    public static boolean matches(char[] pin, byte[] salt, int iterations, byte[] expected) {
        byte[] actual = hash(pin, salt, iterations);
        try {
            return MessageDigest.isEqual(actual, expected);
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    /** A random numeric PIN of {@code digits} digits, for the first admin when none was given. */
    public static String randomPin(int digits) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            sb.append(RANDOM.nextInt(10));
        }
        return sb.toString();
    }
}
