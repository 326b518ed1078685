/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

/**
 * A camera as discovered.
 *
 * @param driver  provider id
 * @param id      the id to put in {@code cameras[].device} to open exactly this camera
 * @param address IP address, USB path or folder; empty when it has none
 */
public record CameraInfo(String driver, String id, String vendor, String model, String serial, String address) {
}
