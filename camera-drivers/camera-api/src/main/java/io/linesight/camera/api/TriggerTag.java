/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

/** Which part and which shot a software trigger was sent for; drivers copy it onto the frame it produces. */
public record TriggerTag(String partId, String shotName) {
    @Override
    public String toString() {
        return partId + "/" + shotName;
    }
}
