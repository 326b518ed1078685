/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.secrets;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Takes credentials out of URLs and of text that may contain URLs (driver and client error messages) before they
 * reach a log, an alarm, the audit trail or a screen: the password of {@code scheme://user:password@host} and the
 * values of {@code password=}, {@code sslpassword=}, {@code token=} and similar query or JDBC parameters become
 * {@code ***}. User names and hosts stay: they are what an engineer needs to find the connection. The one place that
 * decides what a secret looks like; everything that shows a JDBC or broker URL goes through it. Pure function, any
 * thread.
 */
public final class Secrets {
    static final String MASK = "***";
    // //user:password@  (the password may hold anything but a slash or blank; the last @ before the host ends it)
    private static final Pattern USERINFO = Pattern.compile("(//[^/@\\s:]*):[^/\\s]*@");
    // ?password=…  &sslpassword=…  ;password=…  (JDBC and query strings), up to the next separator or blank
    private static final Pattern PARAM = Pattern.compile(
            "(?i)([?&;]\\s*(?:password|passwd|pwd|sslpassword|sslkeypassword|secret|token|access_token|api[_-]?key)"
                    + "\\s*=)[^&;\\s]*");

    private Secrets() {
    }

    /** {@code text} with every credential in it masked; null stays null. */
    public static @Nullable String redactNullable(@Nullable String text) {
        return text == null ? null : redact(text);
    }

    /** {@code text} (a URL, or a message with URLs in it) with every credential masked. */
    public static String redact(String text) {
        if (text.indexOf('@') < 0 && text.indexOf('=') < 0) {
            return text; // nothing that could hold a credential: the common case costs one scan
        }
        String s = USERINFO.matcher(text).replaceAll("$1:" + MASK + "@");
        return PARAM.matcher(s).replaceAll("$1" + MASK);
    }
}
