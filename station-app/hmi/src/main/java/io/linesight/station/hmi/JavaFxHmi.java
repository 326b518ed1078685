/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.OperatorHmi;
import io.linesight.station.Station;
import io.linesight.station.hmi.remote.RemoteStation;
import io.linesight.station.plc.BrokerSecurity;
import io.linesight.station.store.ResultsStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The JavaFX operator HMI behind the station's {@link OperatorHmi} port (registered for {@link java.util.ServiceLoader}). */
public final class JavaFxHmi implements OperatorHmi {

    @Override
    public void startToolkit() {
        HmiApp.startToolkit();
    }

    @Override
    public Screen open(Station station, Runnable onClosed, Settings settings) {
        return new Window(HmiApp.open(station, onClosed, options(settings)));
    }

    @Override
    public Screen openRemote(String brokerUrl, BrokerSecurity security, String line, String station,
                             @Nullable ResultsStore results, Path usersDir, Runnable onClosed, Settings settings)
            throws IOException {
        HmiApp.startToolkit();
        RemoteStation view = RemoteStation.connect(brokerUrl, security, line, station, results);
        return new Window(HmiApp.open(view, onClosed, options(settings), usersDir));
    }

    private static HmiOptions options(Settings s) {
        return HmiOptions.defaults().withKiosk(s.kiosk()).withRefreshHz(s.refreshHz()).withMinPinLength(s.minPinLength());
    }

    /** An open {@link HmiApp}. */
    private record Window(HmiApp app) implements Screen {

        @Override
        public Map<String, String> shown() {
            return app.onFx(() -> {
                Map<String, String> m = new HashMap<>();
                app.production().counters().forEach((k, v) -> m.put(k, v.value()));
                m.put("gallery", Integer.toString(app.rejects().cards()));
                return m;
            });
        }

        @Override
        public void screenshot(String screen, Path png) throws IOException {
            app.screenshot(screen, png);
        }

        @Override
        public void close() {
            app.close();
        }
    }
}
