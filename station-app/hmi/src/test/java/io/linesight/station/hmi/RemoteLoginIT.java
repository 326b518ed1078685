/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.auth.Role;
import io.linesight.station.auth.StationCredentials;
import io.linesight.station.auth.UserStore;
import io.linesight.station.publish.HmiPublisher;
import io.linesight.station.hmi.remote.RemoteStation;
import io.linesight.station.store.AuditRecord;
import io.linesight.station.store.ResultsStore;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.TestStations;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote HMI's engineer login is proven to the station: the login pane asks the station, which checks the PIN
 * against its own users and issues the token the change-over then carries. Real Mosquitto, real JavaFX window (X
 * display needed, e.g. {@code xvfb-run -a}); skipped without one.
 */
class RemoteLoginIT {
    @BeforeAll
    static void needsDisplay() {
        HmiIT.needsDisplay(); // display, software rendering, toolkit up before OpenCV
    }

    @TempDir
    Path dir;

    @Test
    void remoteEngineerLogin_isCheckedByTheStation_aRefusalUndoesIt_andAnAcceptedOneChangesOver() throws Exception {
        LoadedStation loaded = TestStations.load(dir, TestStations.demoStationYaml());
        Path data = dir.resolve("data");
        UserStore stationUsers = UserStore.open(data, "975310");
        stationUsers.put("eve", Role.ENGINEER, "246810");
        stationUsers.put("mallory", Role.ENGINEER, "135799");
        // the remote HMI's own users file: mallory's PIN there is not the one the station knows
        Path hmiUsers = dir.resolve("hmi-users");
        UserStore panelUsers = UserStore.open(hmiUsers, "975310");
        panelUsers.put("eve", Role.ENGINEER, "246810");
        panelUsers.put("mallory", Role.ENGINEER, "111111");
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"));
             Station station = Station.start(loaded, TestStations.recipe(loaded), broker.url(), data,
                     new StationCredentials(data));
             HmiPublisher publisher = HmiPublisher.start(station);
             ResultsStore panelStore = ResultsStore.openSqlite(dir.resolve("panel-store"), "demo", "s1")) {
            HmiApp hmi = HmiApp.open(RemoteStation.connect(broker.url(), "demo", "s1", panelStore), () -> { },
                    HmiOptions.defaults(), hmiUsers);
            try {
                hmi.onFx(() -> {
                    hmi.show("Recipes"); // an operator: opens the login
                    hmi.login().select("mallory");
                    hmi.login().pad().enter("111111");
                    return null;
                });
                String refused = await(() -> hmi.onFx(() -> hmi.login().message()),
                        m -> m.startsWith("The station refused the login"));
                assertThat(refused).isEqualTo("The station refused the login: wrong user or PIN");
                assertThat(hmi.onFx(() -> hmi.session().role())).as("the panel's login is undone").isEqualTo(Role.OPERATOR);

                hmi.onFx(() -> {
                    hmi.login().select("eve");
                    hmi.login().pad().enter("246810");
                    return null;
                });
                await(() -> hmi.onFx(hmi::loginOpen), open -> !open);
                assertThat(hmi.onFx(() -> hmi.session().role())).isEqualTo(Role.ENGINEER);
                assertThat(hmi.onFx(() -> hmi.show("Recipes"))).isTrue();
                hmi.onFx(() -> hmi.recipes().changeOver("bracket", true));
                String shown = await(() -> hmi.onFx(() -> hmi.recipes().status()), s -> !s.startsWith("changing over"));
                assertThat(shown).startsWith("running " + station.recipe().label());

                assertThat(publisher.published()).as("the panel sees the station through its publisher").isPositive();
                var trail = station.store().auditTrail(Instant.EPOCH, Instant.now().plusSeconds(5), 1000);
                assertThat(trail).extracting(AuditRecord::who, AuditRecord::action, AuditRecord::after)
                        .contains(org.assertj.core.groups.Tuple.tuple("eve via hmi/anonymous", "cmd/recipe",
                                "done: recipe " + station.recipe().label() + " (forced)"))
                        .anySatisfy(t -> assertThat(t.toList()).containsExactly("mallory via hmi/anonymous",
                                "remote-login", "refused: wrong user or PIN"));
            } finally {
                hmi.close();
            }
        }
    }

    private static <T> T await(Supplier<T> read, java.util.function.Predicate<T> done) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a change-over loads the model
        T v = read.get();
        while (!done.test(v) && System.nanoTime() < until) {
            Thread.sleep(50);
            v = read.get();
        }
        return v;
    }
}
