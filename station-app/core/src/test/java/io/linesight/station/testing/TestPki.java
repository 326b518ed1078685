/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throw-away PKI and password file for a TLS Mosquitto, made with the real {@code openssl} and
 * {@code mosquitto_passwd}: a CA ({@code ca.pem}), a server certificate for 127.0.0.1, user {@link #USER} with the
 * password in {@code good-password}, and a wrong one in {@code bad-password}.
 */
public final class TestPki {
    public static final String USER = "station";
    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    public static TestPki create(Path dir) throws Exception {
        TestPki pki = new TestPki(Files.createDirectories(dir));
        pki.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
                "-keyout", "ca.key", "-out", "ca.pem");
        pki.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key",
                "-out", "server.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        pki.run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "server.pem");
        pki.run("mosquitto_passwd", "-b", "-c", "passwd", USER, "s3cret-pw");
        Files.writeString(dir.resolve("good-password"), "s3cret-pw\n");
        Files.writeString(dir.resolve("bad-password"), "guess\n");
        return pki;
    }

    private void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    /** A file of this PKI ({@code ca.pem}, {@code good-password}, {@code bad-password}, …). */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Mosquitto listener settings: TLS with this PKI's server certificate, and passwords required. */
    public String mosquittoListener() {
        return "cafile " + file("ca.pem") + "\ncertfile " + file("server.pem") + "\nkeyfile " + file("server.key")
                + "\npassword_file " + file("passwd") + "\nallow_anonymous false\n";
    }

    /** A station file's broker section that logs in as {@link #USER} with {@code passwordFile} and trusts the CA. */
    public String brokerBlock(String passwordFile) {
        return "  url: embedded\n  keepAliveS: 2\n  username: " + USER + "\n  passwordFile: " + file(passwordFile)
                + "\n  caFile: " + file("ca.pem") + "\n";
    }
}
