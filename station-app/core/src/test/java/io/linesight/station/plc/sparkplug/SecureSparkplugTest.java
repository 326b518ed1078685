/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.station.SparkplugConfig;
import io.linesight.station.plc.BrokerSecurity;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Sparkplug edge node on a broker that wants TLS and a password (a real Mosquitto with a test PKI). */
@DisplayName("the Sparkplug node on a TLS + password broker")
class SecureSparkplugTest {
    private static final String GROUP = "plant1";

    @TempDir
    Path dir;
    private TestPki pki;
    private MosquittoBroker broker;
    private String url;

    @BeforeEach
    void startBroker() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        broker = MosquittoBroker.start(dir.resolve("mq"), pki.mosquittoListener());
        url = "ssl://127.0.0.1:" + broker.port();
    }

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private BrokerSecurity security(String passwordFile) {
        return new BrokerSecurity(TestPki.USER, pki.file(passwordFile), pki.file("ca.pem"), null, null);
    }

    private static SparkplugConfig config(String url, String passwordFile, String caFile) {
        return new SparkplugConfig(GROUP, "edge1", null, null, url, null, 2, 100, TestPki.USER, passwordFile, caFile,
                null, null);
    }

    @Test
    void onThePlcBroker_usesThePlcLinksTlsAndPassword() throws Exception {
        try (TahuHost host = new TahuHost(url, GROUP, security("good-password"));
             SparkplugNode node = SparkplugNode.start(config(null, null, null), "line1", "st1", url,
                     security("good-password"), null, dir.resolve("data"))) {
            assertThat(host.next().topic()).isEqualTo("spBv1.0/plant1/NBIRTH/edge1");
            assertThat(node.bdSeq()).isZero();
        }
    }

    @Test
    void onABrokerOfItsOwn_usesItsOwnSection_filesRelativeToTheStationFile() throws Exception {
        Path configDir = pki.file("ca.pem").getParent();
        try (TahuHost host = new TahuHost(url, GROUP, security("good-password"));
             SparkplugNode node = SparkplugNode.start(config(url, "good-password", "ca.pem"), "line1", "st1",
                     "tcp://127.0.0.1:1", BrokerSecurity.NONE, configDir, dir.resolve("data"))) {
            assertThat(host.next().topic()).isEqualTo("spBv1.0/plant1/NBIRTH/edge1");
            assertThat(node.bdSeq()).isZero();
        }
    }

    @Test
    void wrongPassword_noBirthIsPublished() throws Exception {
        try (TahuHost host = new TahuHost(url, GROUP, security("good-password"));
             SparkplugNode node = SparkplugNode.start(config(null, null, null), "line1", "st1", url,
                     security("bad-password"), null, dir.resolve("data"))) {
            assertThatThrownBy(host::next).hasMessage("no Sparkplug message within 10 s");
            assertThat(node.bdSeq()).as("never connected: no birth, no bdSeq").isEqualTo(-1);
            assertThat(broker.log()).containsAnyOf("not authorised", "bad user name or password");
        }
    }
}
