/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

/** What the retained {@code state} topic says. OFFLINE is also the MQTT will, so the PLC learns at once of a crash. */
public enum StationState { ONLINE, FAULT, STOPPED, OFFLINE }
