/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.remote;

import io.linesight.station.publish.HmiPublisher;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.hmi.HmiFeed;
import io.linesight.station.result.Inspection;
import io.linesight.station.plc.BrokerSecurity;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.Peers;
import io.linesight.station.testing.TestPki;
import io.linesight.station.testing.TestStations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote HMI link with the PLC link's security, against a real Mosquitto that wants TLS and a password: the
 * station's HMI publisher takes the station's broker section, a remote HMI its own TLS files and credentials.
 * No display needed: the remote view feeds an {@link HmiFeed} as it does under the HMI's screens.
 */
class SecureRemoteHmiIT {
    @TempDir
    Path dir;

    @Test
    void tlsAndPassword_theStationsPublisherAndARemoteHmiConnect_andTheRemoteHmiReceivesParts() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"), pki.mosquittoListener())) {
            String url = "ssl://127.0.0.1:" + broker.port();
            LoadedStation loaded = station(pki);
            try (Station station = Station.start(loaded, TestStations.recipe(loaded), url, dir.resolve("data"));
                 HmiPublisher publisher = HmiPublisher.start(station);
                 RemoteStation remote = RemoteStation.connect(url, security(pki, "good-password"),
                         station.config().line(), station.config().station(), null)) {
                assertThat(station.brokerConnected()).as("the PLC link on the same broker").isTrue();
                HmiFeed feed = new HmiFeed();
                remote.attach(feed);
                for (int i = 0; i < 10; i++) {
                    station.trigger("secure-" + i);
                }
                assertThat(station.awaitIdle(10_000)).isTrue();
                // parts are published latest-wins (≤ 10/s) and the status once a second
                for (int i = 0; i < 250 && (feed.state().last() == null || remote.stats().parts() < 10); i++) {
                    Thread.sleep(20);
                }
                Inspection last = feed.state().last();
                assertThat(last).as("a part reached the remote HMI over TLS").isNotNull();
                assertThat(last.part().partId()).startsWith("secure-");
                assertThat(remote.stats().parts()).as("counters from the retained status").isEqualTo(10);
                assertThat(publisher.published()).isPositive();
                assertThat(remote.recipeLabel()).isEqualTo(station.recipe().label());
            }
        }
    }

    @Test
    void wrongPassword_isRefused_withAMessageThatSaysSo() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"), pki.mosquittoListener())) {
            String url = "ssl://127.0.0.1:" + broker.port();
            assertThatThrownBy(() -> RemoteStation.connect(url, security(pki, "bad-password"), "demo", "s1", null))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("remote HMI")
                    .hasMessageContaining(url)
                    .hasMessageContaining("refused the user name or password");
            // and without the CA the broker's certificate is not trusted: a TLS failure, said as such
            BrokerSecurity noCa = new BrokerSecurity(TestPki.USER, pki.file("good-password"), null, null, null);
            assertThatThrownBy(() -> RemoteStation.connect(url, noCa, "demo", "s1", null))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("TLS with broker " + url + " failed");
        }
    }

    @Test
    void stationHmiCommand_takesTlsAndPasswordFromTheStationFile_andSaysPlainlyWhenThePasswordIsWrong() throws Exception {
        Peers.requireDisplay();
        TestPki pki = TestPki.create(dir.resolve("pki"));
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"), pki.mosquittoListener())) {
            String url = "ssl://127.0.0.1:" + broker.port();
            LoadedStation loaded = station(pki);
            try (Station station = Station.start(loaded, TestStations.recipe(loaded), url, dir.resolve("data"));
                 HmiPublisher publisher = HmiPublisher.start(station)) {
                for (int i = 0; i < 5; i++) {
                    station.trigger("cli-" + i);
                }
                assertThat(station.awaitIdle(10_000)).isTrue();
                // line, station, user, password file and CA from the station file; the URL given (its own is embedded)
                Path png = dir.resolve("remote.png");
                Run ok = stationHmi("--config", dir.resolve("config/station.yaml").toString(), "--broker", url,
                        "--screenshot", png.toString(), "--parts", "5");
                assertThat(ok.exit()).as(ok.output()).isZero();
                assertThat(ok.output()).contains("hmi attached to linesight/demo/s1 through " + url);
                assertThat(png).isNotEmptyFile();
                assertThat(publisher.published()).isPositive();

                Run refused = stationHmi("--broker", url, "--line", "demo", "--station", "s1", "--ca-file",
                        pki.file("ca.pem").toString(), "--username", TestPki.USER, "--password-file",
                        pki.file("bad-password").toString());
                assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
                assertThat(refused.output()).contains("error: remote HMI: cannot connect: broker " + url
                        + " refused the user name or password").doesNotContain("\tat ");

                Run plain = stationHmi("--broker", "tcp://127.0.0.1:" + broker.port(), "--line", "demo", "--station",
                        "s1", "--ca-file", pki.file("ca.pem").toString());
                assertThat(plain.exit()).as(plain.output()).isEqualTo(2);
                assertThat(plain.output()).contains("error: --ca-file, --cert-file and --key-file need an ssl:// "
                        + "broker URL");
            }
        }
    }

    private record Run(int exit, String output) {
    }

    /** {@code station hmi} in a JVM of its own, on this test's class path; waits for it to end. */
    private Run stationHmi(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dprism.order=sw", "-cp", System.getProperty("java.class.path"), "io.linesight.station.cli.StationCli",
                "hmi", "--data-dir", dir.resolve("hmi-process").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "output unreadable: " + e;
                }
            });
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("station hmi %s ended", List.of(args)).isTrue();
            return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }

    private static BrokerSecurity security(TestPki pki, String passwordFile) {
        return new BrokerSecurity(TestPki.USER, pki.file(passwordFile), pki.file("ca.pem"), null, null);
    }

    private LoadedStation station(TestPki pki) throws Exception {
        String yaml = TestStations.demoStationYaml()
                .replace("  url: embedded\n  embeddedPort: 1883\n  payload: json\n", pki.brokerBlock("good-password"));
        assertThat(yaml).contains("passwordFile: ");
        return TestStations.load(dir.resolve("config"), yaml);
    }
}
