/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraProvider;
import io.linesight.camera.api.CameraProviders;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the cameras every available driver can see now, and says why a driver is unavailable. */
@Command(name = "cameras", mixinStandardHelpOptions = true, description = "List cameras from every camera driver.")
final class CamerasCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("%-10s %-24s %-12s %-24s %-14s %s%n", "driver", "id", "vendor", "model", "serial", "address");
        for (CameraProvider p : CameraProviders.all()) {
            if (!p.available()) {
                System.out.printf("%-10s (unavailable: %s)%n", p.id(), p.unavailableReason());
                continue;
            }
            try {
                List<CameraInfo> found = p.discover();
                if (found.isEmpty()) {
                    System.out.printf("%-10s (no cameras found)%n", p.id());
                }
                for (CameraInfo c : found) {
                    System.out.printf("%-10s %-24s %-12s %-24s %-14s %s%n", c.driver(), c.id(), c.vendor(), c.model(),
                            c.serial(), c.address());
                }
            } catch (CameraException e) {
                System.out.printf("%-10s (discovery failed: %s)%n", p.id(), e.getMessage());
            }
        }
        return 0;
    }
}
