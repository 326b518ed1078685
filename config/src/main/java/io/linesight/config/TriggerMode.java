/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config;

/** How a camera starts an exposure. */
public enum TriggerMode {
    /** The station sends a software trigger per shot (GenICam {@code TriggerSource=Software}). */
    SOFTWARE,
    /** The PLC or a photo-eye fires the camera's input line; the station arms and waits. */
    HARDWARE,
    /** The camera runs at its own rate; used for commissioning and focus, never for judged parts. */
    FREE_RUN
}
