/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.control;

/** A command that was understood but refused; the message goes back to whoever asked (PLC, HMI, command line). */
public final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    public CommandException(String message) {
        super(message);
    }
}
